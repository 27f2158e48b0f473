import Foundation
import Tensor

/// Reading a checkpoint's weights into Hugging Face names and layout.
extension ModelWeights {
    /// Every float tensor of a safetensors checkpoint (one file or all shards).
    public init(checkpoint: SafetensorsCheckpoint) throws {
        var tensors: [String: Tensor] = [:]
        for name in checkpoint.names {
            guard let info = checkpoint.info(named: name),
                  [.float32, .float16, .bfloat16, .float64].contains(info.dtype) else { continue }
            tensors[name] = try checkpoint.tensor(named: name)
        }
        self.init(tensors: tensors, source: checkpoint.files.map(\.path).joined(separator: ", "))
    }

    /// The tensors of a llama.cpp GGUF under HF names: matrices stored in a type
    /// `quantizedLinear` multiplies stay blocks (`quantized`, the only copy: never dequantized as
    /// a whole, read in place from the file mapping where their rows need no moving), every
    /// other tensor is dequantized to Float32 (`tensors`). The Q/K rows of llama-architecture
    /// files are un-permuted back to HF's rotate-half layout (blocks and Float32 alike) and
    /// Gemma 3's norm weights shifted back (llama.cpp's converter stores `1 + w`).
    public init(gguf: GGUFFile, config: TransformerConfig) throws {
        var tensors: [String: Tensor] = [:]
        var quantized: [String: QuantizedMatrix] = [:]
        let permuted = gguf.architecture == "llama"
        let names = GGUFTensorNames(family: config.family)
        for info in gguf.tensors {
            guard let name = names.huggingFaceName(for: info.name) else { continue }
            var rotaryHeads: Int?
            if permuted, name.hasSuffix("self_attn.q_proj.weight") || name.hasSuffix("self_attn.q_proj.bias") {
                rotaryHeads = config.headCount
            } else if permuted, name.hasSuffix("self_attn.k_proj.weight") || name.hasSuffix("self_attn.k_proj.bias") {
                rotaryHeads = config.kvHeadCount
            }
            if info.shape.count == 2, QuantizedMatrix.supports(info.type, columns: info.rowLength),
               let blocks = try GGUFTensorNames.blocks(of: info, in: gguf, rotaryHeads: rotaryHeads) {
                quantized[name] = blocks
                continue
            }
            var tensor = try gguf.tensor(info)
            GGUFTensorNames.releasePages(of: info, in: gguf)
            if let rotaryHeads { tensor = LlamaRotaryRows.unpermuted(tensor, heads: rotaryHeads) }
            if names.storesNormsPlusOne, info.name.hasSuffix("norm.weight") { tensor = tensor - 1 }
            tensors[name] = tensor
        }
        self.init(tensors: tensors, source: gguf.path)
        self.quantized = quantized
    }
}

/// llama.cpp's tensor names, and its stored blocks with the Q/K rows moved back.
struct GGUFTensorNames {
    /// Which family's names to use (Gemma 3 and Phi-3 name some tensors differently).
    let family: ArchitectureFamily

    /// llama.cpp's whole-model tensor names → Hugging Face's (the exporter inverts this table).
    static let global: [String: String] = [
        "token_embd.weight": "model.embed_tokens.weight",
        "output_norm.weight": "model.norm.weight",
        "output.weight": "lm_head.weight",
    ]
    /// llama.cpp's per-layer module names → Hugging Face's, for llama and qwen2 (the exporter inverts it).
    static let perLayer: [String: String] = [
        "attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm",
        "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
        "attn_output": "self_attn.o_proj",
        "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj",
    ]
    /// Gemma 3 norms around both sublayers, and per-head Q/K norms.
    private static let gemma3PerLayer: [String: String] = [
        "attn_q_norm": "self_attn.q_norm", "attn_k_norm": "self_attn.k_norm",
        "post_attention_norm": "post_attention_layernorm", "ffn_norm": "pre_feedforward_layernorm",
        "post_ffw_norm": "post_feedforward_layernorm",
    ]
    /// Phi-3/Phi-4 keep HF's fused projections: `attn_qkv` and `ffn_up` (gate rows, then up rows).
    private static let phi3PerLayer: [String: String] = [
        "attn_qkv": "self_attn.qkv_proj", "ffn_up": "mlp.gate_up_proj",
    ]

    /// llama.cpp's Gemma converter writes RMSNorm weights as `1 + w` (its norm multiplies by
    /// the weight alone); HF's Gemma norm multiplies by `1 + w`.
    var storesNormsPlusOne: Bool { family == .gemma3 }

    /// `blk.3.attn_q.weight` → `model.layers.3.self_attn.q_proj.weight`; nil for unknown names.
    func huggingFaceName(for ggufName: String) -> String? {
        if let name = Self.global[ggufName] { return name }
        let parts = ggufName.split(separator: ".")
        guard parts.count == 4, parts[0] == "blk", let layer = Int(parts[1]) else { return nil }
        let key = String(parts[2])
        let familyName: String?
        switch family {
        case .gemma3: familyName = Self.gemma3PerLayer[key]
        case .phi3: familyName = Self.phi3PerLayer[key]
        case .llama, .qwen2: familyName = nil
        }
        guard let module = familyName ?? Self.perLayer[key] else { return nil }
        return "model.layers.\(layer).\(module).\(parts[3])"
    }

    /// The stored blocks of the matrix `info`: read in place from the file mapping (which they
    /// keep alive), or copied with the Q/K rows un-permuted when `rotaryHeads` is given; nil when
    /// they do not match the shape.
    static func blocks(of info: GGUFTensorInfo, in gguf: GGUFFile, rotaryHeads: Int?) throws -> QuantizedMatrix? {
        let rows = info.rowCount, columns = info.rowLength
        guard let rotaryHeads else {
            return QuantizedMatrix(type: info.type, rows: rows, columns: columns, borrowing: gguf.rawBytes(of: info), owner: gguf.mapping)
        }
        let bytes = try gguf.rawBytesUnpermutingRotaryRows(of: info, heads: rotaryHeads)
        releasePages(of: info, in: gguf)
        return bytes.withUnsafeBytes { QuantizedMatrix(type: info.type, rows: rows, columns: columns, copying: $0) }
    }

    /// Lets the kernel drop the mapped file pages of a tensor that was copied out of the file
    /// (the pages would otherwise stay resident beside the copy). The mapping is private and
    /// read-only, so a later read just loads them from the file again.
    static func releasePages(of info: GGUFTensorInfo, in gguf: GGUFFile) {
        let bytes = gguf.rawBytes(of: info)
        guard let start = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + bytes.count) / page * page
        guard end > first, let address = UnsafeMutableRawPointer(bitPattern: first) else { return }
        madvise(address, end - first, MADV_DONTNEED)
    }
}
