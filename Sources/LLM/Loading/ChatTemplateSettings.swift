import Foundation
import Tensor

/// A model's chat template and the special token strings templates refer to.
public struct ChatTemplateSettings: Sendable, Equatable {
    /// The Jinja template source.
    public var template: String
    public var bosToken: String?
    public var eosToken: String?

    public init(template: String, bosToken: String? = nil, eosToken: String? = nil) {
        self.template = template
        self.bosToken = bosToken
        self.eosToken = eosToken
    }

    /// Reads the template of a resolved model: `tokenizer.chat_template` from a GGUF, or
    /// `tokenizer_config.json` (or `chat_template.jinja`) from a Hugging Face folder. Throws
    /// `noChatTemplate` when it has none.
    public static func load(from location: ModelLocation) throws -> ChatTemplateSettings {
        guard let settings = try ModelSource(location: location).chatTemplate() else {
            throw ModelLoadingError.noChatTemplate(reference: location.reference)
        }
        return settings
    }

    /// From GGUF metadata; BOS/EOS strings come from the token ids and the token list.
    public init(gguf: GGUFFile, reference: String) throws {
        guard let settings = ChatTemplateSettings(gguf: gguf) else { throw ModelLoadingError.noChatTemplate(reference: reference) }
        self = settings
    }

    /// From a Hugging Face folder's tokenizer_config.json (or chat_template.jinja).
    public init(folder: HuggingFaceFolder, reference: String) throws {
        guard let settings = try ChatTemplateSettings(folder: folder) else { throw ModelLoadingError.noChatTemplate(reference: reference) }
        self = settings
    }

    /// From GGUF metadata, or nil when it has no `tokenizer.chat_template`.
    init?(gguf: GGUFFile) {
        guard let template = gguf.metadata["tokenizer.chat_template"]?.string else { return nil }
        let tokens = gguf.metadata["tokenizer.ggml.tokens"]?.stringArray ?? []
        func token(_ key: String) -> String? {
            guard let id = gguf.metadata[key]?.int, tokens.indices.contains(id) else { return nil }
            return tokens[id]
        }
        self.init(template: template, bosToken: token("tokenizer.ggml.bos_token_id"),
                  eosToken: token("tokenizer.ggml.eos_token_id"))
    }

    /// From a folder's tokenizer_config.json (or chat_template.jinja), or nil when it has no template.
    init?(folder: HuggingFaceFolder) throws {
        guard let config = try folder.tokenizerConfig(), let template = config.chatTemplate else { return nil }
        self.init(template: template, bosToken: config.bosToken, eosToken: config.eosToken)
    }
}
