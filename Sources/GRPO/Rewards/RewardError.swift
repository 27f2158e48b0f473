import Foundation

/// Why a reward could not score a batch.
public enum RewardError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A column the reward reads is not in the batch.
    case missingColumn(String, available: [String])
    /// A column (or the prompts) has a different number of rows than the completions.
    case misalignedColumn(String, rows: Int, completions: Int)
    /// A reward returned a different number of scores than there are completions.
    case wrongCount(reward: String, expected: Int, got: Int)
    /// A length reward needs token counts and has neither completion ids nor a counter.
    case missingTokenCounts(reward: String)
    /// An argument of a reward factory is out of its domain.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .missingColumn(let name, let available):
            let list = available.isEmpty ? "none" : available.sorted().joined(separator: ", ")
            return "The reward needs a column \"\(name)\", which the batch does not have (columns: \(list)). "
                + "Add it to the dataset or tell the reward which column to read."
        case .misalignedColumn(let name, let rows, let completions):
            return "Column \"\(name)\" has \(rows) rows but there are \(completions) completions. "
                + "Repeat each dataset row once per completion generated from it."
        case .wrongCount(let reward, let expected, let got):
            return "Reward \"\(reward)\" returned \(got) scores for \(expected) completions. "
                + "Return exactly one score (or nil) per completion."
        case .missingTokenCounts(let reward):
            return "Reward \"\(reward)\" needs token counts: pass completion ids in the batch or give the reward a tokenCount function."
        case .invalidArgument(let message):
            return message
        }
    }

    public var errorDescription: String? { description }
}
