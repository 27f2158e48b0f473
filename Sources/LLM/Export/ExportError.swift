import Foundation
import Tensor

/// What can go wrong exporting a model or an adapter. Each message names the offending item and
/// says what to do next.
public enum ExportError: Error, CustomStringConvertible, Equatable {
    /// The model's architecture cannot be written in the requested format.
    case unsupportedArchitecture(family: String, format: String)
    /// A requested storage type this build cannot write (or cannot write for this tensor).
    case unsupportedType(name: String, format: String, supported: [String])
    /// "Same as the base" was asked of a model whose base was not a quantized GGUF.
    case noBaseQuantization(model: String)
    /// The tokenizer of the source model cannot be converted to the target format.
    case unsupportedTokenizer(detail: String)
    /// A weight the architecture needs is missing, or a merged projection has no Float32 values.
    case missingWeight(name: String, source: String)
    /// Nothing to export: an adapter was asked for but none is attached.
    case noAdapter(model: String)
    /// Writing failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unsupportedArchitecture(family, format):
            return "Exporting a \(family) model as \(format) is not supported; supported: llama and qwen2 (GGUF), "
                + "any architecture this engine loads from a Hugging Face folder (merged folder). Export as a merged folder instead."
        case let .unsupportedType(name, format, supported):
            return "'\(name)' cannot be written as \(format). Choose one of: \(supported.joined(separator: ", "))."
        case let .noBaseQuantization(model):
            return "\(model) was not loaded from a quantized GGUF, so there is no base quantization to export back to. "
                + "Pass an explicit --quantization (q8_0, q4_0, q4_1, f16, f32, …)."
        case let .unsupportedTokenizer(detail):
            return "The tokenizer cannot be converted: \(detail)."
        case let .missingWeight(name, source):
            return "\(source) has no usable tensor '\(name)' to export. The checkpoint is incomplete; reload the model from its original files."
        case let .noAdapter(model):
            return "No LoRA adapter is attached to \(model). Pass --adapter DIR (a PEFT folder) or attach one before exporting it."
        case let .writeFailed(path, reason):
            return "Could not write \(path): \(reason). Check that the folder is writable and the disk has space."
        }
    }
}
