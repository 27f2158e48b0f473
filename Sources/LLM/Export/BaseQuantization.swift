import Foundation
import Tensor

/// How the tensors of a GGUF base model were stored: a model loaded from a quantized GGUF keeps
/// this, so exporting back to "the same quantization" writes each tensor in its base type and
/// can say how much the merge changed the stored blocks.
public struct BaseQuantization {
    /// The base file (its blocks are compared with the exported ones).
    public let file: GGUFFile
    /// The storage type of each tensor, by GGUF name (`blk.0.attn_q.weight`).
    public let types: [String: GGMLType]
    /// `general.file_type` of the base, when present (llama.cpp's `llama_ftype`, 3 = mostly Q4_1).
    public let fileType: Int?

    public init(gguf: GGUFFile) {
        file = gguf
        var types: [String: GGMLType] = [:]
        for info in gguf.tensors { types[info.name] = info.type }
        self.types = types
        fileType = gguf.metadata["general.file_type"]?.int
    }

    /// True when at least one tensor is stored in blocks.
    public var isQuantized: Bool { types.values.contains { $0.isQuantized } }

    /// The most common block type (the base's "quantization"), or nil when nothing is quantized.
    public var dominantType: GGMLType? {
        var counts: [GGMLType: Int] = [:]
        for type in types.values where type.isQuantized { counts[type, default: 0] += 1 }
        return counts.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key
    }

    /// "Q4_1 ×210, Q8_0 ×1, F32 ×61".
    public var summary: String {
        var counts: [GGMLType: Int] = [:]
        for type in types.values { counts[type, default: 0] += 1 }
        return counts.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }
}
