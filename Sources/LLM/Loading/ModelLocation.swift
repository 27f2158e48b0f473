import Foundation

/// Where a resolved model lives on disk and in which format.
public struct ModelLocation: Equatable, Sendable, CustomStringConvertible {
    /// The on-disk format of a model.
    public enum Format: String, Equatable, Sendable {
        /// One `.gguf` file holding weights, tokenizer and chat template.
        case gguf
        /// A Hugging Face folder: config.json, *.safetensors, tokenizer.json, tokenizer_config.json.
        case huggingFaceFolder
    }

    /// The name the caller asked for (registry name, path or HF id).
    public var reference: String
    /// The `.gguf` file or the model folder.
    public var url: URL
    public var format: Format

    public init(reference: String, url: URL, format: Format) {
        self.reference = reference
        self.url = url
        self.format = format
    }

    public var description: String { "\(reference) → \(url.path) (\(format.rawValue))" }
}
