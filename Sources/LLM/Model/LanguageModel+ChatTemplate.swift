import Foundation

extension LanguageModel {
    /// This model with another chat template: a known format (`.known(.gemma)`), or Jinja text.
    /// The network and tokenizer are shared, not copied. A known format's end-of-turn token
    /// (`<end_of_turn>`, `<|im_end|>`, `<|eot_id|>`) also ends generation when the tokenizer
    /// has it as a special token.
    public func usingChatTemplate(_ choice: ChatTemplateChoice) throws -> LanguageModel {
        LanguageModel(location: location, network: network, tokenizer: tokenizer,
                      chatTemplate: try choice.settings(for: tokenizer),
                      eosTokenIDs: eosTokenIDs.union(choice.endOfTurnIDs(for: tokenizer)),
                      samplingDefaults: samplingDefaults, loadSeconds: loadSeconds)
    }

    /// Loads `reference` and, when `chatTemplate` is given, uses it instead of the model's own
    /// template (a name from `KnownChatTemplate.names`, a template file, or Jinja text).
    public static func load(_ reference: String, chatTemplate: String?,
                            registry: ModelRegistry = ModelRegistry()) throws -> LanguageModel {
        let model = try load(reference, registry: registry)
        guard let chatTemplate else { return model }
        return try model.usingChatTemplate(ChatTemplateChoice(chatTemplate))
    }
}
