/// Why a chat template could not be parsed or rendered. Messages give the template line.
public enum TemplateError: Error, CustomStringConvertible, Equatable {
    /// The template source is malformed.
    case syntax(message: String, line: Int)
    /// Rendering failed (a type error, an unknown filter, an undefined value used in arithmetic…).
    case runtime(message: String, line: Int)
    /// The template called `raise_exception(message)`: the conversation is not one it accepts.
    case raised(message: String)

    public var description: String {
        switch self {
        case let .syntax(message, line):
            return "Chat template syntax error on line \(line): \(message). Fix the template (tokenizer_config.json chat_template or GGUF tokenizer.chat_template)."
        case let .runtime(message, line):
            return "Chat template error on line \(line): \(message). Check the messages passed to the template (roles, content types) or the template itself."
        case let .raised(message):
            return "The chat template rejected the conversation: \(message)"
        }
    }
}
