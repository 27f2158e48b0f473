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

    /// The model at an existing path: a folder is a Hugging Face folder, a file a GGUF. Nil when
    /// nothing is there. (The one place a path's format is decided.)
    public init?(existingPath url: URL, reference: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        self.init(reference: reference, url: url, format: isDirectory.boolValue ? .huggingFaceFolder : .gguf)
    }

    public var description: String { "\(reference) → \(url.path) (\(format.rawValue))" }
}
