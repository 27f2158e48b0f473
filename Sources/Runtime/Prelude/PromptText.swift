import LLM

/// Turns a prompt value from a cell into model input text: a String is used as it is (special
/// tokens written in it are recognised), a list of `["role": …, "content": …]` messages is
/// rendered with the model's chat template, ending with the assistant header.
enum PromptText {
    static func text(_ value: Value, for model: LanguageModel, argument: String = "prompt") throws -> String {
        switch value.unwrapped {
        case .string(let text)?:
            return text
        case .array(let items)?:
            return try model.chatPrompt(messages(items, argument: argument))
        default:
            throw RuntimeError("\(argument) must be a String or chat messages ([[\"role\": …, \"content\": …]], "
                               + "see chat(system:user:)), got \(value.typeName)", kind: .typeMismatch)
        }
    }

    /// Chat messages from `[["role": String, "content": String]]`.
    static func messages(_ items: [Value], argument: String) throws -> [ChatMessage] {
        try items.enumerated().map { index, item in
            guard case .dictionary(let fields) = item.unwrapped ?? .void,
                  case .string(let role)? = fields[.string("role")]?.unwrapped,
                  case .string(let content)? = fields[.string("content")]?.unwrapped else {
                throw RuntimeError("\(argument)[\(index)] must be a message [\"role\": String, \"content\": String], "
                                   + "got \(item.typeName)", kind: .typeMismatch)
            }
            return ChatMessage(role: role, content: content)
        }
    }

    /// `[["role": "system", …], ["role": "user", …]]` as a language value.
    static func value(_ messages: [ChatMessage]) -> Value {
        .array(messages.map { .dictionary(DictionaryValue([(.string("role"), .string($0.role)),
                                                            (.string("content"), .string($0.content))])) })
    }
}
