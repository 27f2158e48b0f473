import Foundation
import Tensor

/// Hugging Face tensor names to llama.cpp's (the inverse of the loader's mapping), and the Q/K
/// row permutation llama.cpp expects in llama-architecture files.
public enum GGUFTensorNaming {
    private static let global = inverted(GGUFTensorNames.global)
    private static let perLayer = inverted(GGUFTensorNames.perLayer)

    private static func inverted(_ table: [String: String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: table.map { ($0.value, $0.key) })
    }

    /// `model.layers.3.self_attn.q_proj.weight` → `blk.3.attn_q.weight`; nil for names llama.cpp's
    /// llama/qwen2 graphs do not have.
    public static func ggufName(for huggingFaceName: String) -> String? {
        if let name = global[huggingFaceName] { return name }
        guard huggingFaceName.hasPrefix("model.layers.") else { return nil }
        let rest = huggingFaceName.dropFirst("model.layers.".count)
        guard let dot = rest.firstIndex(of: "."), let layer = Int(rest[..<dot]) else { return nil }
        let tail = rest[rest.index(after: dot)...]
        guard let last = tail.lastIndex(of: ".") else { return nil }
        let module = String(tail[..<last]), suffix = tail[tail.index(after: last)...]
        guard let mapped = perLayer[module] else { return nil }
        return "blk.\(layer).\(mapped).\(suffix)"
    }

    /// `model.layers.3.self_attn.q_proj` (a module path) → `blk.3.attn_q`.
    public static func ggufModule(for modulePath: String) -> String? {
        ggufName(for: modulePath + ".weight").map { String($0.dropLast(".weight".count)) }
    }

    /// How many rotary heads the rows of `huggingFaceName` are grouped in, when llama.cpp stores
    /// them permuted (llama Q: attention heads; K: KV heads); nil for every other tensor.
    public static func rotaryHeads(for huggingFaceName: String, config: TransformerConfig) -> Int? {
        guard config.family == .llama else { return nil }
        if huggingFaceName.contains("self_attn.q_proj.") { return config.headCount }
        if huggingFaceName.contains("self_attn.k_proj.") { return config.kvHeadCount }
        return nil
    }

    /// `tensor` (rows first, Hugging Face order) with its rows moved to llama.cpp's order for
    /// adjacent-pair RoPE (`LlamaModel.permute`); the inverse of what the loader does.
    public static func permutedForGGUF(_ tensor: Tensor, heads: Int) -> Tensor {
        guard let rows = tensor.shape.first, rows > 0 else { return tensor }
        let rowLength = tensor.count / rows
        let out = Tensor(zeros: tensor.shape)
        tensor.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                for (row, ggufRow) in LlamaRotaryRows.ggufRows(forRows: rows, heads: heads).enumerated() {
                    (to + ggufRow * rowLength).update(from: from + row * rowLength, count: rowLength)
                }
            }
        }
        return out
    }
}
