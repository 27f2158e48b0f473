import Foundation
import Tensor

/// Entry points that build a `Tokenizer` from model files.
public enum Tokenizers {
    /// The tokenizer described by a GGUF file's `tokenizer.ggml.*` metadata
    /// (`gpt2` byte-level BPE or `llama` SentencePiece BPE).
    public static func load(fromGGUF file: GGUFFile) throws -> PreTrainedTokenizer {
        try GGUFTokenizerBuilder.build(file)
    }

    /// The tokenizer of a Hugging Face model folder: `tokenizer.json`, with BOS/EOS/PAD names
    /// from `tokenizer_config.json` (or `special_tokens_map.json`) when present.
    public static func load(fromFolder folder: URL) throws -> PreTrainedTokenizer {
        let tokenizerURL = folder.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: tokenizerURL.path) else {
            throw TokenizerError.missingFile(path: tokenizerURL.path)
        }
        let json = try readJSON(tokenizerURL)
        var config: [String: Any]?
        for name in ["tokenizer_config.json", "special_tokens_map.json"] where config == nil {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { config = try readJSON(url) }
        }
        return try TokenizerJSONBuilder.build(tokenizer: json, config: config, source: tokenizerURL.path)
    }

    /// A tokenizer from the contents of a tokenizer.json (and optionally tokenizer_config.json).
    public static func load(tokenizerJSON: Data, configJSON: Data? = nil) throws -> PreTrainedTokenizer {
        let json = try parseJSON(tokenizerJSON, source: "tokenizer.json")
        let config = try configJSON.map { try parseJSON($0, source: "tokenizer_config.json") }
        return try TokenizerJSONBuilder.build(tokenizer: json, config: config, source: "tokenizer.json")
    }

    /// The tokenizer of a `.gguf` file or a Hugging Face folder at `url`.
    public static func load(from url: URL) throws -> PreTrainedTokenizer {
        guard let location = ModelLocation(existingPath: url, reference: url.path) else {
            throw TokenizerError.missingFile(path: url.path)
        }
        return try ModelSource(location: location).tokenizer()
    }

    private static func readJSON(_ url: URL) throws -> [String: Any] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.missingFile(path: url.path)
        }
        return try parseJSON(data, source: url.path)
    }

    private static func parseJSON(_ data: Data, source: String) throws -> [String: Any] {
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw TokenizerError.invalidJSON(path: source, reason: "top level is not an object")
            }
            return object
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw TokenizerError.invalidJSON(path: source, reason: error.localizedDescription)
        }
    }
}
