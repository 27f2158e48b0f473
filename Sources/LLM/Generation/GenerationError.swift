/// Why generation stopped early or could not start.
public enum GenerationError: Error, CustomStringConvertible, Equatable {
    /// The sequence reached the model's context length or the cache's capacity.
    case contextFull(capacity: Int)
    /// The caller cancelled (an interrupt).
    case cancelled
    /// A prompt with no tokens.
    case emptyPrompt

    public var description: String {
        switch self {
        case .contextFull(let capacity):
            return "The sequence reached the context limit of \(capacity) positions. Shorten the prompt or lower maxNewTokens."
        case .cancelled:
            return "Generation was cancelled."
        case .emptyPrompt:
            return "The prompt is empty; give at least one token."
        }
    }
}
