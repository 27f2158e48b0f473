import Foundation

/// Why a tokenizer could not be built from a file.
public enum TokenizerError: Error, CustomStringConvertible, Equatable {
    /// A required file is absent from a model folder.
    case missingFile(path: String)
    /// A file is not the JSON a tokenizer needs.
    case invalidJSON(path: String, reason: String)
    /// A required field is missing or has the wrong type.
    case missingField(String, in: String)
    /// A pipeline stage whose `type` this implementation does not know.
    case unsupportedComponent(kind: String, type: String)
    /// A GGUF tokenizer model (`tokenizer.ggml.model`) this implementation does not know.
    case unsupportedModel(String)
    /// A GGUF file without a vocabulary (`tokenizer.ggml.model = no_vocab`, or no tokenizer keys).
    case noVocabulary(path: String)
    /// A GGUF pre-tokenizer name (`tokenizer.ggml.pre`) this implementation does not know.
    case unsupportedPreTokenizer(String)
    /// Metadata that is inconsistent, such as arrays of different lengths.
    case inconsistentMetadata(String)
    /// A regular expression in tokenizer.json that does not compile.
    case invalidPattern(String)

    public var description: String {
        switch self {
        case let .missingFile(path):
            return "tokenizer file not found: \(path). Point --model at a GGUF file or a Hugging Face folder that contains tokenizer.json."
        case let .invalidJSON(path, reason):
            return "\(path) is not a valid tokenizer file (\(reason)); re-download the model."
        case let .missingField(field, source):
            return "tokenizer field '\(field)' is missing or malformed in \(source); the file may be truncated or from an unsupported tokenizer version."
        case let .unsupportedComponent(kind, type):
            return "tokenizer.json \(kind) '\(type)' is not supported (BPE and WordPiece pipelines are); use the model's GGUF file or a model with a BPE or WordPiece tokenizer."
        case let .unsupportedModel(name):
            return "GGUF tokenizer model '\(name)' is not supported; use a model whose tokenizer.ggml.model is 'gpt2' or 'llama'."
        case let .noVocabulary(path):
            return "\(path) holds no tokenizer (tokenizer.ggml.model is 'no_vocab' or absent); load the tokenizer from the original model's GGUF or Hugging Face folder."
        case let .unsupportedPreTokenizer(name):
            return "GGUF pre-tokenizer '\(name)' is not supported; supported values: \(GGUFTokenizerBuilder.supportedPreTokenizers.joined(separator: ", "))."
        case let .inconsistentMetadata(reason):
            return "inconsistent tokenizer metadata: \(reason); the model file may be corrupt."
        case let .invalidPattern(pattern):
            return "tokenizer regular expression does not compile: \(pattern)"
        }
    }
}
