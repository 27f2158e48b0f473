import Foundation
import Tensor

/// The storage type a GGUF export writes its matrices in: one ggml type for every matrix, or
/// each tensor's type in the quantized GGUF the model was loaded from. Norms and biases are
/// always F32, as llama.cpp's converter writes them.
public enum GGUFExportType: Equatable, CustomStringConvertible {
    case uniform(GGMLType)
    case sameAsBase

    /// The types `--quantization` accepts, in ggml's spelling.
    public static var choices: [String] {
        ["same"] + Quantizer.supportedTypes.map { $0.description.lowercased() }
    }

    /// "f16", "q8_0", "Q4_K", "same" (case-insensitive); nil for anything else.
    public init?(name: String) {
        if ["same", "base"].contains(name.lowercased()) { self = .sameAsBase; return }
        guard let type = GGMLType(name: name) else { return nil }
        self = .uniform(type)
    }

    public var description: String {
        switch self {
        case let .uniform(type): return type.description
        case .sameAsBase: return "the base model's types"
        }
    }

    /// The type to store a tensor of `shape` in: F32 for vectors; `preferred` for matrices whose
    /// rows are whole blocks of it, else llama.cpp's fallback for that type (Q4_K → Q5_0,
    /// Q5_K → Q5_1, Q6_K → Q8_0, 32-blocks → F16).
    public static func storageType(forShape shape: [Int], preferred: GGMLType) -> GGMLType {
        guard shape.count >= 2, let rowLength = shape.last else { return .f32 }
        var type = preferred
        if rowLength % type.blockSize != 0 {
            switch type {
            case .q4_K: type = .q5_0
            case .q5_K: type = .q5_1
            case .q6_K: type = .q8_0
            default: type = .f16
            }
        }
        return rowLength % type.blockSize == 0 ? type : .f16
    }

    /// llama.cpp's `general.file_type` (`llama_ftype`) for a file whose matrices are mostly `type`.
    public static func fileType(for type: GGMLType) -> UInt32 {
        switch type {
        case .f32: return 0
        case .f16: return 1
        case .q4_0: return 2
        case .q4_1: return 3
        case .q8_0: return 7
        case .q5_0: return 8
        case .q5_1: return 9
        case .q4_K: return 15
        case .q5_K: return 17
        case .q6_K: return 18
        case .bf16: return 32
        default: return 0
        }
    }
}
