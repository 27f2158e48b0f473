import Foundation
import Tensor

/// Reading the decoder's settings from a llama.cpp GGUF header (`<arch>.*` keys), for every
/// family we run. Where llama.cpp hard-codes a setting instead of writing it (Gemma 3's local
/// RoPE base and sliding-window pattern), the same constant is used here; a key that a newer
/// converter writes takes precedence.
extension TransformerConfig {
    /// The GGUF `general.architecture` values this reader accepts.
    public static let ggufArchitectures = ["llama", "qwen2", "phi3", "gemma3"]

    /// Gemma 3's local (sliding-window) layers use this RoPE base; llama.cpp sets it in code
    /// (`rope_freq_base_train_swa`) because its converter does not write it.
    static let gemma3LocalRopeBase: Float = 10_000
    /// In Gemma 3, every sixth layer attends globally and the others use the sliding window
    /// (llama.cpp `set_swa_pattern(6)`; HF `sliding_window_pattern: 6` / `layer_types`).
    static let gemma3SlidingWindowPattern = 6

    /// Reads `<arch>.*` keys of a GGUF header: llama, qwen2, phi3 (Phi-3/Phi-4) and gemma3.
    public init(gguf: GGUFFile) throws {
        let source = "GGUF \(gguf.path)"
        guard let arch = gguf.architecture else { throw ModelConfigError.missingField("general.architecture", source: source) }
        guard Self.ggufArchitectures.contains(arch), let family = ArchitectureFamily(modelType: arch) else {
            throw ModelConfigError.unsupportedArchitecture(arch)
        }
        let keys = GGUFArchitectureKeys(gguf: gguf, architecture: arch, source: source)
        let hidden = try keys.int("embedding_length")
        let heads = try keys.int("attention.head_count")
        let layers = try keys.int("block_count")
        try Self.checkLayerCount(layers, field: "\(arch).block_count", source: source)
        let headDim = try keys.optionalInt("attention.key_length") ?? hidden / max(heads, 1)
        let theta = keys.float("rope.freq_base") ?? 10_000
        let maxPositions = try keys.optionalInt("context_length") ?? 4096
        var scaling = RoPEScaling.none
        if let type = keys.string("rope.scaling.type"), type == "linear", let factor = keys.float("rope.scaling.factor") {
            scaling = .linear(factor: factor)
        }
        // Llama 3.x files carry their rope_type "llama3" scaling as per-frequency divisors.
        let rotaryDimension = try keys.optionalInt("rope.dimension_count") ?? headDim
        if let factors = try Self.frequencyFactors(gguf, tensor: "rope_freqs.weight", rotaryDimension: rotaryDimension, source: source) {
            scaling = .frequencyFactors(factors, attentionFactor: 1)
        }
        var positions = maxPositions
        if family == .phi3, let short = try Self.frequencyFactors(gguf, tensor: "rope_factors_short.weight",
                                                                  rotaryDimension: rotaryDimension, source: source) {
            // Phi-3.5/Phi-4-mini "longrope": the short factors hold up to the original context;
            // beyond it the long ones would apply, which we do not switch to, so the context
            // stops there.
            let original = try keys.optionalInt("rope.scaling.original_context_length") ?? maxPositions
            let attention = keys.float("rope.scaling.attn_factor")
                ?? Self.longRopeAttentionFactor(maxPositions: maxPositions, originalPositions: original)
            scaling = .frequencyFactors(short, attentionFactor: attention)
            positions = min(maxPositions, original)
        }
        let vocabulary = try keys.optionalInt("vocab_size")
            ?? gguf.metadata["tokenizer.ggml.tokens"]?.array?.count
            ?? gguf.tensorInfo(named: "token_embd.weight")?.shape.first
        guard let vocabulary else { throw ModelConfigError.missingField("\(arch).vocab_size", source: source) }

        var rotary = Array(repeating: RotaryConfig(theta: theta, scaling: scaling,
                                                   partialFactor: Float(rotaryDimension) / Float(max(headDim, 1))),
                           count: layers)
        var windows = [Int?](repeating: nil, count: layers)
        var activation = Activation.silu
        var scale = 1 / Float(headDim).squareRoot()
        if family == .gemma3 {
            activation = .geluTanh
            let window = try keys.optionalInt("attention.sliding_window")
            let localTheta = keys.float("rope.freq_base_swa") ?? Self.gemma3LocalRopeBase
            let pattern = keys.value("attention.sliding_window_pattern")?.array?.compactMap(\.bool)
            for layer in 0..<layers {
                let local = pattern.flatMap { layer < $0.count ? $0[layer] : nil }
                    ?? ((layer + 1) % Self.gemma3SlidingWindowPattern != 0)
                guard local, let window else { continue }
                windows[layer] = window
                // Local layers rotate with their own base and no scaling (HF `rope_local_base_freq`).
                rotary[layer] = RotaryConfig(theta: localTheta, scaling: .none, partialFactor: rotary[layer].partialFactor)
            }
            // llama.cpp: 1/√head_dim, except Gemma 3 27B (62 layers), which uses 1/√(hidden/heads),
            // as its HF config's query_pre_attn_scalar (168) does.
            if layers == 62 { scale = 1 / (Float(hidden) / Float(max(heads, 1))).squareRoot() }
        }
        // llama.cpp's `attention.scale`, when written, is the query-key multiplier itself.
        if let written = keys.float("attention.scale"), written.isFinite, written > 0 { scale = written }
        let eos = try keys.optionalTokenizerInt("eos_token_id")
        self.init(
            family: family, hiddenSize: hidden, intermediateSize: try keys.int("feed_forward_length"),
            layerCount: layers, headCount: heads,
            kvHeadCount: try keys.optionalInt("attention.head_count_kv") ?? heads,
            headDim: headDim, vocabularySize: vocabulary,
            normEpsilon: keys.float("attention.layer_norm_rms_epsilon") ?? 1e-5,
            tiedEmbeddings: gguf.tensorInfo(named: "output.weight") == nil,
            maxPositions: positions,
            rotary: rotary, slidingWindow: windows, attentionScale: scale,
            attentionLogitSoftcap: keys.float("attn_logit_softcapping"),
            finalLogitSoftcap: keys.float("final_logit_softcapping"),
            activation: activation,
            bosTokenID: try keys.optionalTokenizerInt("bos_token_id"),
            eosTokenIDs: eos.map { [$0] } ?? [])
        try validate(source: source)
    }

    /// A 1-D F32 tensor of per-frequency RoPE divisors, checked against the rotary dimension.
    private static func frequencyFactors(_ gguf: GGUFFile, tensor name: String, rotaryDimension: Int,
                                         source: String) throws -> [Float]? {
        guard let info = gguf.tensorInfo(named: name) else { return nil }
        let factors = try gguf.tensor(info).scalars
        guard factors.count == rotaryDimension / 2, factors.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelConfigError.invalidField(
                name, value: "\(factors.count) factors (expected \(rotaryDimension / 2) positive ones, half the rotary dimension)",
                source: source)
        }
        return factors
    }

    /// HF's longrope attention factor √(1 + ln(max/original)/ln(original)) (1 when not extended).
    static func longRopeAttentionFactor(maxPositions: Int, originalPositions: Int) -> Float {
        guard originalPositions > 1, maxPositions > originalPositions else { return 1 }
        let scale = Double(maxPositions) / Double(originalPositions)
        return Float((1 + log(scale) / log(Double(originalPositions))).squareRoot())
    }
}

/// Typed reads of one architecture's `<arch>.<key>` values, with errors naming the key.
struct GGUFArchitectureKeys {
    let gguf: GGUFFile
    let architecture: String
    let source: String

    func value(_ key: String) -> GGUFValue? { gguf.architectureValue(key) }

    func int(_ key: String) throws -> Int {
        guard let value = try optionalInt(key) else {
            throw ModelConfigError.missingField("\(architecture).\(key)", source: source)
        }
        return value
    }

    func optionalInt(_ key: String) throws -> Int? {
        guard let raw = value(key) else { return nil }
        guard let value = raw.int else {
            throw ModelConfigError.invalidField("\(architecture).\(key)", value: "\(raw) (expected an integer)", source: source)
        }
        return value
    }

    func optionalTokenizerInt(_ key: String) throws -> Int? {
        guard let raw = gguf.metadata["tokenizer.ggml.\(key)"] else { return nil }
        guard let value = raw.int else {
            throw ModelConfigError.invalidField("tokenizer.ggml.\(key)", value: "\(raw) (expected an integer)", source: source)
        }
        return value
    }

    func float(_ key: String) -> Float? { value(key)?.float }
    func string(_ key: String) -> String? { value(key)?.string }
}
