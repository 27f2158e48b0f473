import Foundation
import Tensor

/// An opened model: one GGUF file (mapped once) or one Hugging Face folder. The format is
/// decided once, when the source is opened; the config, the weights, the tokenizer, the chat
/// template and the generation defaults are all read from here.
public final class ModelSource: @unchecked Sendable {
    /// What was opened.
    public enum Contents {
        /// A `.gguf` file: weights, config, tokenizer and template all in its header and data.
        case gguf(GGUFFile)
        /// A folder of config.json, safetensors, tokenizer.json, tokenizer_config.json, ….
        case huggingFaceFolder(HuggingFaceFolder)
    }

    public let location: ModelLocation
    public let contents: Contents

    /// Opens the model at `location` (maps the GGUF, or checks the folder exists).
    public init(location: ModelLocation) throws {
        self.location = location
        switch location.format {
        case .gguf: contents = .gguf(try GGUFFile(url: location.url))
        case .huggingFaceFolder: contents = .huggingFaceFolder(try HuggingFaceFolder(url: location.url))
        }
    }

    /// Resolves and opens a registry name, a `.gguf` path, a Hugging Face folder or a cached HF id.
    public static func open(_ reference: String, registry: ModelRegistry = ModelRegistry()) throws -> ModelSource {
        try ModelSource(location: registry.resolve(reference))
    }

    /// The decoder's shape and settings: GGUF `<arch>.*` metadata or config.json.
    public func transformerConfig() throws -> TransformerConfig {
        switch contents {
        case .gguf(let file): return try TransformerConfig(gguf: file)
        case .huggingFaceFolder(let folder): return try TransformerConfig(huggingFace: folder.config())
        }
    }

    /// Every weight in Hugging Face names and layout (GGUF tensors dequantized, their llama Q/K
    /// rows un-permuted, quantized matrices kept for decoding).
    public func weights(for config: TransformerConfig) throws -> ModelWeights {
        switch contents {
        case .gguf(let file): return try ModelWeights(gguf: file, config: config)
        case .huggingFaceFolder(let folder): return try ModelWeights(checkpoint: folder.checkpoint())
        }
    }

    /// The network, built from `transformerConfig()` and `weights(for:)`.
    public func network() throws -> CausalLanguageModel {
        let config = try transformerConfig()
        return try CausalLanguageModel(config: config, weights: weights(for: config))
    }

    /// `generation_config.json` of a folder (nil when absent; GGUF files carry none).
    public func generationConfig() throws -> GenerationConfig? {
        switch contents {
        case .gguf: return nil
        case .huggingFaceFolder(let folder): return try folder.generationConfig()
        }
    }

    /// Whether the model ships a tokenizer (a folder may hold only config and weights).
    public var hasTokenizer: Bool {
        switch contents {
        case .gguf: return true
        case .huggingFaceFolder(let folder): return folder.tokenizerURL != nil
        }
    }

    /// The tokenizer: GGUF `tokenizer.ggml.*` metadata, or the folder's tokenizer.json.
    public func tokenizer() throws -> PreTrainedTokenizer {
        switch contents {
        case .gguf(let file): return try Tokenizers.load(fromGGUF: file)
        case .huggingFaceFolder(let folder): return try Tokenizers.load(fromFolder: folder.url)
        }
    }

    /// The chat template and its special tokens, or nil when the model ships none. A template
    /// that is present but does not parse is an error naming the file it came from.
    public func chatTemplate() throws -> ChatTemplateSettings? {
        let settings: ChatTemplateSettings?
        switch contents {
        case .gguf(let gguf): settings = ChatTemplateSettings(gguf: gguf)
        case .huggingFaceFolder(let folder): settings = try ChatTemplateSettings(folder: folder)
        }
        guard let settings else { return nil }
        do {
            _ = try ChatTemplate(source: settings.template)
        } catch {
            throw ModelLoadingError.invalidChatTemplate(path: try chatTemplateFile(), detail: "\(error)")
        }
        return settings
    }

    /// Where the chat template was read from, for error messages.
    private func chatTemplateFile() throws -> String {
        switch contents {
        case .gguf(let gguf):
            return "\(gguf.path) (tokenizer.chat_template)"
        case .huggingFaceFolder(let folder):
            let configURL = folder.url.appendingPathComponent(HuggingFaceFolder.tokenizerConfigFile)
            let inConfig = try folder.file(HuggingFaceFolder.tokenizerConfigFile)
                .map(TokenizerConfig.init(contentsOf:))?.chatTemplate != nil
            return inConfig ? configURL.path : (folder.chatTemplateURL ?? configURL).path
        }
    }
}
