extension ChatMessage {
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: "system", content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: "assistant", content: content) }
}

extension LanguageModel {
    /// The prompt text of `messages` in the model's chat template (ending with the assistant
    /// header when `addGenerationPrompt`).
    public func chatPrompt(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) throws -> String {
        guard let settings = chatTemplate else { throw ModelLoadingError.noChatTemplate(reference: location.reference) }
        return try ChatTemplate(source: settings.template).render(
            messages: messages, addGenerationPrompt: addGenerationPrompt,
            bosToken: settings.bosToken, eosToken: settings.eosToken)
    }
}
