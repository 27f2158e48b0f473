/// Why an evaluation could not start or go on (judging errors are `JudgeError`).
public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    case noCandidates
    case duplicateCandidate(String)
    case emptyDataset(String)
    case invalidCount(Int)
    case invalidSetting(String)
    case resultsFileExists(path: String)
    case unreadableResults(path: String, line: Int, reason: String)
    case differentRun(path: String, caseIndex: Int)

    public var description: String {
        switch self {
        case .noCandidates:
            return "Nothing to evaluate: give at least one model (a name and a loaded model)."
        case let .duplicateCandidate(name):
            return "Two models are named \"\(name)\"; give each a different name."
        case let .emptyDataset(detail):
            return "The evaluation has no cases: \(detail)"
        case let .invalidCount(count):
            return "count must be at least 1, got \(count)."
        case let .invalidSetting(message):
            return message
        case let .resultsFileExists(path):
            return "\(path) already holds results; resume to continue that run, or choose another output file."
        case let .unreadableResults(path, line, reason):
            return "\(path) line \(line) is not an evaluation record (\(reason)); point at a file written by an evaluation."
        case let .differentRun(path, caseIndex):
            return "\(path) holds another run: its case \(caseIndex) has a different question. Resume only with the same "
                + "dataset and count, or choose another output file."
        }
    }
}
