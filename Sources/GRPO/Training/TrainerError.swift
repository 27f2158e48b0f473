/// Why the trainer cannot go on; each message says what to do next.
public enum TrainerError: Error, Equatable, CustomStringConvertible {
    /// A dataset prompt could not be turned into tokens.
    case badPrompt(String)
    /// The dataset is empty or lacks the prompt column.
    case badDataset(String)
    /// A checkpoint folder is missing, damaged, or belongs to another run.
    case badCheckpoint(String)
    /// Something the model cannot do (sequence too long for its context, …).
    case modelLimit(String)
    /// An interrupted optimizer step holds accumulated gradients that this call would lose.
    case stepInProgress(String)

    public var description: String {
        switch self {
        case .badPrompt(let message), .badDataset(let message), .badCheckpoint(let message), .modelLimit(let message),
             .stepInProgress(let message):
            return message
        }
    }
}
