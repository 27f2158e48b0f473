/// Input the GRPO advantage or loss computation cannot use; each message says what to fix.
public enum GRPOLossError: Error, Equatable, CustomStringConvertible {
    case invalidSetting(name: String, value: String, expected: String)
    case emptyBatch
    case groupSizeDoesNotDivide(completions: Int, groupSize: Int)
    case rewardRowWidth(row: Int, count: Int, expected: Int)
    case lengthsDoNotMatchSlots(sum: Int, slots: Int)
    case countMismatch(field: String, count: Int, expected: Int)
    case invalidMask(slot: Int, value: Float)
    case missingReferenceLogProbs
    case missingEntropies
    case nonFiniteAdvantage(sequence: Int, value: Float)

    public var description: String {
        switch self {
        case let .invalidSetting(name, value, expected):
            return "GRPO loss setting \(name) = \(value) is invalid; use \(expected)."
        case .emptyBatch:
            return "The GRPO loss got no completions; pass at least one sequence."
        case let .groupSizeDoesNotDivide(completions, groupSize):
            return "\(completions) completions do not split into groups of \(groupSize); "
                + "pass all num_generations completions of every prompt, consecutively."
        case let .rewardRowWidth(row, count, expected):
            return "Completion \(row) has \(count) reward values but there are \(expected) reward weights; "
                + "give one value (or nil) per reward function."
        case let .lengthsDoNotMatchSlots(sum, slots):
            return "The sequence lengths add up to \(sum) slots but logProbs has \(slots); "
                + "lengths[i] must count every slot (masked or not) of sequence i."
        case let .countMismatch(field, count, expected):
            return "\(field) has \(count) values but the batch needs \(expected); give one per "
                + (field == "advantages" ? "sequence." : "slot of logProbs.")
        case let .invalidMask(slot, value):
            return "mask[\(slot)] is \(value); the mask holds only 0 (ignore the slot) or 1."
        case .missingReferenceLogProbs:
            return "beta ≠ 0 needs referenceLogProbs; pass the reference model's log-probs or set beta to 0."
        case .missingEntropies:
            return "topEntropyQuantile < 1 needs the per-slot entropies; pass entropies or set it to 1."
        case let .nonFiniteAdvantage(sequence, value):
            return "The advantage of sequence \(sequence) is \(value); advantages must be finite "
                + "(Advantages.compute gives unscorable completions 0)."
        }
    }
}
