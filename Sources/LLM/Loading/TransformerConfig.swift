import Foundation
import Tensor

/// The decoder families we run. Each has its own file beside this one.
public enum ArchitectureFamily: String, Sendable, CaseIterable {
    case llama, qwen2, phi3, gemma3

    /// Maps an HF `model_type` or a GGUF `general.architecture` value to a family.
    init?(modelType: String) {
        switch modelType.lowercased() {
        case "llama", "smollm", "smollm2", "mistral": self = .llama
        case "qwen2": self = .qwen2
        case "phi3": self = .phi3
        case "gemma3", "gemma3_text": self = .gemma3
        default: return nil
        }
    }
}

/// Rotary settings of one layer.
public struct RotaryConfig: Sendable, Equatable {
    public var theta: Float
    public var scaling: RoPEScaling
    /// Fraction of each head's dims that rotate (Phi-3's `partial_rotary_factor`).
    public var partialFactor: Float
}

/// What a decoder architecture needs to know, read from an HF `config.json` or GGUF metadata.
public struct TransformerConfig: Sendable {
    public var family: ArchitectureFamily
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDim: Int
    public var vocabularySize: Int
    public var normEpsilon: Float
    public var tiedEmbeddings: Bool
    public var maxPositions: Int
    /// Per layer: rotary settings (Gemma 3 uses different thetas for local and global layers).
    public var rotary: [RotaryConfig]
    /// Per layer: the sliding window (keys j with 0 ≤ i − j < window), or nil for full attention.
    public var slidingWindow: [Int?]
    /// The attention scale is `attentionScale` (1/√headDim unless the family says otherwise).
    public var attentionScale: Float
    public var attentionLogitSoftcap: Float?
    public var finalLogitSoftcap: Float?
    public var activation: Activation
    public var bosTokenID: Int?
    public var eosTokenIDs: [Int]

    public var rotaryDim: Int {
        let dim = Int((Float(headDim) * rotary[0].partialFactor).rounded())
        return dim - dim % 2
    }
}

/// A config.json or GGUF header that does not describe a model we can run.
public enum ModelConfigError: Error, CustomStringConvertible, Equatable {
    case unsupportedArchitecture(String)
    case missingField(String, source: String)
    case invalidField(String, value: String, source: String)

    public var description: String {
        switch self {
        case .unsupportedArchitecture(let name):
            return "Unsupported model architecture '\(name)'. Supported, from GGUF files and Hugging Face folders alike: llama (Llama 3.x, SmolLM2, Mistral), qwen2 (Qwen2/Qwen2.5), phi3 (Phi-3, Phi-4), gemma3 (Gemma 3 text models). Pick a model of one of these families."
        case .missingField(let field, let source):
            return "\(source) has no '\(field)'; it is needed to build the model. Check that the file is a complete model config."
        case .invalidField(let field, let value, let source):
            return "\(source): '\(field)' has the invalid value \(value). Fix the config file."
        }
    }
}

extension TransformerConfig {
    /// Reads an HF `config.json` (transformers 4.x `rope_theta`/`rope_scaling` or 5.x
    /// `rope_parameters`, per layer type for Gemma 3).
    public init(huggingFace config: HuggingFaceConfig) throws {
        let source = config.source
        let json = config.json
        let modelType = try config.requiredString("model_type")
        guard let family = ArchitectureFamily(modelType: modelType) else {
            throw ModelConfigError.unsupportedArchitecture(modelType)
        }
        let hidden = try config.requiredInt("hidden_size")
        let heads = try config.requiredInt("num_attention_heads")
        let layers = try config.requiredInt("num_hidden_layers")
        try Self.checkLayerCount(layers, field: "num_hidden_layers", source: source)
        let headDim = try config.optionalInt("head_dim") ?? hidden / max(heads, 1)
        var layerTypes = json["layer_types"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if family == .gemma3, layerTypes.isEmpty {
            // transformers 4.x Gemma 3 configs give a pattern instead: every Nth layer is global.
            let pattern = max(try config.optionalInt("sliding_window_pattern") ?? Self.gemma3SlidingWindowPattern, 1)
            layerTypes = (0..<layers).map { ($0 + 1) % pattern == 0 ? "full_attention" : "sliding_attention" }
        }

        func rotary(forLayerType type: String?) throws -> RotaryConfig {
            var parameters = json["rope_parameters"].flatMap { $0.objectValue == nil ? nil : $0 }
            if let type, let nested = parameters?[type], nested.objectValue != nil { parameters = nested }
            let legacyScaling = json["rope_scaling"].flatMap { $0.objectValue == nil ? nil : $0 }
            let scalingSource = parameters ?? legacyScaling ?? [:]
            let theta = parameters?["rope_theta"]?.floatValue ?? json["rope_theta"]?.floatValue ?? 10_000
            let ropeType = scalingSource["rope_type"]?.stringValue ?? scalingSource["type"]?.stringValue ?? "default"
            let scaling: RoPEScaling
            switch ropeType {
            case "default":
                scaling = .none
            case "linear":
                scaling = .linear(factor: scalingSource["factor"]?.floatValue ?? 1)
            case "llama3":
                guard let factor = scalingSource["factor"]?.floatValue,
                      let low = scalingSource["low_freq_factor"]?.floatValue,
                      let high = scalingSource["high_freq_factor"]?.floatValue,
                      let original = scalingSource["original_max_position_embeddings"]?.intValue
                else { throw ModelConfigError.missingField("rope_scaling (llama3 factors)", source: source) }
                scaling = .llama3(factor: factor, lowFrequencyFactor: low, highFrequencyFactor: high,
                                  originalMaxPositions: original)
            default:
                throw ModelConfigError.invalidField("rope_type", value: "'\(ropeType)' (supported: default, linear, llama3)", source: source)
            }
            let partial = json["partial_rotary_factor"]?.floatValue ?? parameters?["partial_rotary_factor"]?.floatValue ?? 1
            return RotaryConfig(theta: theta, scaling: scaling, partialFactor: partial)
        }

        var rotaryPerLayer: [RotaryConfig] = []
        var windows: [Int?] = []
        let window = try config.optionalInt("sliding_window")
        for layer in 0..<layers {
            let type = layer < layerTypes.count ? layerTypes[layer] : nil
            var layerRotary = try rotary(forLayerType: type)
            // transformers 4.x Gemma 3: local layers rotate with `rope_local_base_freq`, unscaled.
            if family == .gemma3, type == "sliding_attention", json["rope_parameters"]?.objectValue == nil,
               let localBase = json["rope_local_base_freq"]?.floatValue {
                layerRotary = RotaryConfig(theta: localBase, scaling: .none, partialFactor: layerRotary.partialFactor)
            }
            rotaryPerLayer.append(layerRotary)
            let usesWindow: Bool
            switch family {
            case .gemma3: usesWindow = type == "sliding_attention"
            case .qwen2: usesWindow = (config.bool("use_sliding_window") ?? false) && type == "sliding_attention"
            default: usesWindow = false
            }
            windows.append(usesWindow ? window : nil)
        }

        let activationName = config.string("hidden_activation") ?? config.string("hidden_act") ?? "silu"
        let activation: Activation
        switch activationName {
        case "silu", "swish": activation = .silu
        case "gelu_pytorch_tanh", "gelu_tanh", "gelu_new": activation = .geluTanh
        case "gelu": activation = .gelu
        default: throw ModelConfigError.invalidField("hidden_act", value: "'\(activationName)'", source: source)
        }

        let scale: Float
        if family == .gemma3 {
            let scalar = json["query_pre_attn_scalar"]?.floatValue ?? Float(headDim)
            scale = 1 / scalar.squareRoot()
        } else {
            scale = 1 / Float(headDim).squareRoot()
        }

        self.init(
            family: family, hiddenSize: hidden, intermediateSize: try config.requiredInt("intermediate_size"),
            layerCount: layers, headCount: heads,
            kvHeadCount: try config.optionalInt("num_key_value_heads") ?? heads,
            headDim: headDim, vocabularySize: try config.requiredInt("vocab_size"),
            normEpsilon: json["rms_norm_eps"]?.floatValue ?? 1e-6,
            tiedEmbeddings: config.bool("tie_word_embeddings") ?? (family == .gemma3),
            maxPositions: try config.optionalInt("max_position_embeddings") ?? 4096,
            rotary: rotaryPerLayer, slidingWindow: windows, attentionScale: scale,
            attentionLogitSoftcap: json["attn_logit_softcapping"]?.floatValue,
            finalLogitSoftcap: json["final_logit_softcapping"]?.floatValue,
            activation: activation,
            bosTokenID: config.bosTokenID, eosTokenIDs: config.eosTokenIDs)
        try validate(source: source)
    }

    /// The most decoder blocks a config may declare (the largest open models have under 200):
    /// the per-layer settings are allocated from this count before any tensor is read.
    public static let maximumLayerCount = 4096
    /// The longest context a config may declare; the rotary tables are sized by it.
    public static let maximumPositions = 1 << 20
    /// The largest hidden, intermediate or vocabulary size a config may declare.
    public static let maximumDimension = 1 << 24
    /// The most entries one rotary table may have (a 1M-token context at rotary dimension 128).
    public static let maximumRotaryTableEntries = 1 << 26

    static func checkLayerCount(_ layers: Int, field: String, source: String) throws {
        guard (1...maximumLayerCount).contains(layers) else {
            throw ModelConfigError.invalidField(field, value: "\(layers) (expected 1...\(maximumLayerCount) layers)", source: source)
        }
    }

    func validate(source: String) throws {
        let checks: [(String, Int)] = [("hidden_size", hiddenSize), ("num_hidden_layers", layerCount),
                                       ("num_attention_heads", headCount), ("num_key_value_heads", kvHeadCount),
                                       ("head_dim", headDim), ("vocab_size", vocabularySize),
                                       ("intermediate_size", intermediateSize)]
        for (name, value) in checks where value <= 0 {
            throw ModelConfigError.invalidField(name, value: "\(value)", source: source)
        }
        guard (1...Self.maximumPositions).contains(maxPositions) else {
            throw ModelConfigError.invalidField("max_position_embeddings", value: "\(maxPositions) (expected 1...\(Self.maximumPositions))", source: source)
        }
        if let window = slidingWindow.lazy.compactMap({ $0 }).first(where: { $0 <= 0 }) {
            throw ModelConfigError.invalidField("sliding_window", value: "\(window) (expected a positive number of positions)", source: source)
        }
        for (name, value) in [("num_attention_heads", headCount), ("head_dim", headDim)] where value > 1 << 16 {
            throw ModelConfigError.invalidField(name, value: "\(value) (expected at most \(1 << 16))", source: source)
        }
        // Sizes are multiplied together (fused projections, shape checks) before any tensor is
        // compared with them: bound them far above any real model so no product can overflow.
        for (name, value) in [("hidden_size", hiddenSize), ("intermediate_size", intermediateSize), ("vocab_size", vocabularySize)]
        where value > Self.maximumDimension {
            throw ModelConfigError.invalidField(name, value: "\(value) (expected at most \(Self.maximumDimension))", source: source)
        }
        guard headCount % kvHeadCount == 0 else {
            throw ModelConfigError.invalidField("num_key_value_heads", value: "\(kvHeadCount) (must divide num_attention_heads \(headCount))", source: source)
        }
        let partial = rotary[0].partialFactor
        guard partial.isFinite, partial > 0, partial <= 1, rotaryDim > 0, rotaryDim <= headDim else {
            throw ModelConfigError.invalidField("partial_rotary_factor", value: "\(rotary[0].partialFactor)", source: source)
        }
        // The rotary tables hold maxPositions × rotaryDim/2 cosines and as many sines.
        guard maxPositions * (rotaryDim / 2) <= Self.maximumRotaryTableEntries else {
            throw ModelConfigError.invalidField(
                "max_position_embeddings", value: "\(maxPositions) with rotary dimension \(rotaryDim) (the rotary tables would need \(maxPositions * (rotaryDim / 2)) entries; at most \(Self.maximumRotaryTableEntries))",
                source: source)
        }
    }
}
