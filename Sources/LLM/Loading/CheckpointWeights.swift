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

    /// The tensors of a llama.cpp GGUF, dequantized to Float32, renamed to HF names, with the
    /// Q/K rows of llama-architecture files un-permuted back to HF's rotate-half layout.
    /// Matrices stored in a type `quantizedLinear` multiplies are also kept as their blocks
    /// (rows moved the same way), for decoding.
    public init(gguf: GGUFFile, config: TransformerConfig) throws {
        var tensors: [String: Tensor] = [:]
        var quantized: [String: QuantizedMatrix] = [:]
        let permuted = gguf.architecture == "llama"
        for info in gguf.tensors {
            guard let name = GGUFTensorNames.huggingFaceName(for: info.name) else { continue }
            var rotaryHeads: Int?
            if permuted, name.hasSuffix("self_attn.q_proj.weight") || name.hasSuffix("self_attn.q_proj.bias") {
                rotaryHeads = config.headCount
            } else if permuted, name.hasSuffix("self_attn.k_proj.weight") || name.hasSuffix("self_attn.k_proj.bias") {
                rotaryHeads = config.kvHeadCount
            }
            var tensor = try gguf.tensor(info)
            if let rotaryHeads { tensor = LlamaRotaryRows.unpermuted(tensor, heads: rotaryHeads) }
            tensors[name] = tensor
            if info.shape.count == 2, QuantizedMatrix.supports(info.type, columns: info.rowLength) {
                quantized[name] = try GGUFTensorNames.blocks(of: info, in: gguf, rotaryHeads: rotaryHeads)
            }
        }
        self.init(tensors: tensors, source: gguf.path)
        self.quantized = quantized
    }
}

/// llama.cpp's tensor names, and its stored blocks with the Q/K rows moved back.
enum GGUFTensorNames {
    private static let global: [String: String] = [
        "token_embd.weight": "model.embed_tokens.weight",
        "output_norm.weight": "model.norm.weight",
        "output.weight": "lm_head.weight",
    ]
    private static let perLayer: [String: String] = [
        "attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm",
        "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
        "attn_output": "self_attn.o_proj",
        "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj",
    ]

    /// `blk.3.attn_q.weight` → `model.layers.3.self_attn.q_proj.weight`; nil for unknown names.
    static func huggingFaceName(for ggufName: String) -> String? {
        if let name = global[ggufName] { return name }
        let parts = ggufName.split(separator: ".")
        guard parts.count == 4, parts[0] == "blk", let layer = Int(parts[1]),
              let module = perLayer[String(parts[2])] else { return nil }
        return "model.layers.\(layer).\(module).\(parts[3])"
    }

    /// The stored blocks of the matrix `info`, with its Q/K rows un-permuted when `rotaryHeads`
    /// is given; nil when they do not match the shape.
    static func blocks(of info: GGUFTensorInfo, in gguf: GGUFFile, rotaryHeads: Int?) throws -> QuantizedMatrix? {
        let rows = info.rowCount, columns = info.rowLength
        guard let rotaryHeads else {
            return QuantizedMatrix(type: info.type, rows: rows, columns: columns, copying: gguf.rawBytes(of: info))
        }
        let bytes = try gguf.rawBytesUnpermutingRotaryRows(of: info, heads: rotaryHeads)
        return bytes.withUnsafeBytes { QuantizedMatrix(type: info.type, rows: rows, columns: columns, copying: $0) }
    }
}
