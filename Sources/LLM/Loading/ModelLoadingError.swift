/// Why a model could not be found or read. Each message says what to do next.
public enum ModelLoadingError: Error, CustomStringConvertible, Equatable {
    /// A registry model whose files are not in the cache.
    case notInCache(name: String, expectedPath: String, fetchCommand: String)
    /// A name that is neither a registry name, an existing path, nor an HF id in the local HF cache.
    case notFound(reference: String, tried: [String], fetchCommand: String)
    /// A folder that lacks a file the loader needs.
    case missingFile(folder: String, file: String)
    /// A JSON file that cannot be parsed, or has the wrong shape.
    case invalidJSON(path: String, detail: String)
    /// A sharded checkpoint whose index names a shard that is missing or lists a tensor twice.
    case invalidShardIndex(path: String, detail: String)
    /// The model has no chat template in its metadata.
    case noChatTemplate(reference: String)
    /// The model's chat template does not parse.
    case invalidChatTemplate(path: String, detail: String)

    public var description: String {
        switch self {
        case let .notInCache(name, expectedPath, fetchCommand):
            return "Model '\(name)' is not in the model cache (expected \(expectedPath)). Run `\(fetchCommand)` to fetch it, or set SWIFT_GRPO_MODELS to the folder that holds it."
        case let .notFound(reference, tried, fetchCommand):
            return "No model '\(reference)'. Looked at: \(tried.joined(separator: ", ")). Pass a registry name (\(ModelRegistry.names.joined(separator: ", "))), a .gguf path, a Hugging Face folder, or an ORG/NAME id present in $HF_HOME/hub; run `\(fetchCommand)` to fetch the registry models."
        case let .missingFile(folder, file):
            return "The model folder \(folder) has no \(file). Copy the complete Hugging Face model folder there."
        case let .invalidJSON(path, detail):
            return "\(path) is not valid: \(detail). Restore the file from the model's original download."
        case let .invalidShardIndex(path, detail):
            return "The shard index \(path) is not usable: \(detail). Restore the checkpoint's shards from the original download."
        case let .invalidChatTemplate(path, detail):
            return "The chat template in \(path) does not parse: \(detail). Fix the template or restore the file from the model's original download."
        case let .noChatTemplate(reference):
            return "Model '\(reference)' has no chat template (no tokenizer.chat_template in the GGUF, no chat_template in tokenizer_config.json): it is probably a base model. Pass a raw prompt instead, or choose a template by name (\(KnownChatTemplate.names.joined(separator: ", "))), file or Jinja text: `--chat-template gemma` on the command line, `Model.load(\"\(reference)\", chatTemplate: \"gemma\")` or `model.withChatTemplate(\"gemma\")` in a cell."
        }
    }
}
