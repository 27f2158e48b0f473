import Foundation

/// Correctness rewards that compare the extracted answer with a reference column.
extension Reward {
    /// `score` when the extracted answer equals the reference in `column`, else 0; nil where
    /// the reference is null or empty.
    ///
    /// Both sides are trimmed, runs of white space become one space, and case is folded unless
    /// `caseSensitive`. A numeric reference also matches an answer that spells the same number
    /// ("42.0" for 42, "1,000" for 1000). The GSM8K guide's correctness reward is
    /// `exactAnswer(score: 2.0)`.
    public static func exactAnswer(column: String = "answer", caseSensitive: Bool = false, score: Double = 1.0,
                                   name: String = "exact_answer") -> Reward {
        Reward(name: name, range: min(0, score)...max(0, score)) { batch in
            let references = try batch.values(column)
            return zip(batch.completions, references).map { completion, reference -> Double? in
                guard !reference.isNull, !reference.text.isEmpty else { return nil }
                let answer = RewardText.extractAnswer(completion)
                if RewardText.normalized(answer, caseSensitive: caseSensitive)
                    == RewardText.normalized(reference.text, caseSensitive: caseSensitive) {
                    return score
                }
                if let expected = exactNumber(reference), let given = exactNumber(.string(answer)), given == expected {
                    return score
                }
                return 0
            }
        }
    }

    /// `score` (guide: 0.5) when the extracted answer is an integer (optional sign, then
    /// digits), else 0. The guide's Python used `str.isdigit`, which rejects a sign.
    public static func intAnswer(score: Double = 0.5, name: String = "int_answer") -> Reward {
        Reward(name: name, range: min(0, score)...max(0, score)) { batch in
            batch.completions.map { RewardText.isInteger(RewardText.extractAnswer($0)) ? score : 0 }
        }
    }

    /// `score` when the first number in the extracted answer is within tolerance of the
    /// reference number in `column`, else 0 (also 0 when the answer has no number); nil where
    /// the reference is not a number.
    ///
    /// The tolerance is `atol + rtol·|reference|` (NumPy's `isclose`). When the batch has
    /// `toleranceColumn` (MedCalc rows carry `tolerance`, an absolute allowed error) and the
    /// row's cell is a number, that number is the tolerance for the row instead.
    public static func numericTolerance(atol: Double = 1e-6, rtol: Double = 0, column: String = "answer",
                                        toleranceColumn: String = "tolerance", score: Double = 1.0,
                                        name: String = "numeric_tolerance") -> Reward {
        Reward(name: name, range: min(0, score)...max(0, score)) { batch in
            guard atol >= 0, rtol >= 0, atol.isFinite, rtol.isFinite else {
                throw RewardError.invalidArgument(
                    "numericTolerance needs finite atol ≥ 0 and rtol ≥ 0 (got atol \(atol), rtol \(rtol)); fix the arguments.")
            }
            let references = try batch.values(column)
            let tolerances = batch.hasColumn(toleranceColumn) ? try batch.values(toleranceColumn) : nil
            return references.indices.map { row -> Double? in
                guard let expected = numericValue(references[row]) else { return nil }
                guard let given = RewardText.firstNumber(in: RewardText.extractAnswer(batch.completions[row])) else { return 0 }
                var allowed = atol + rtol * abs(expected)
                if let rowTolerance = tolerances?[row].doubleValue, rowTolerance.isFinite, rowTolerance >= 0 {
                    // A little slack for answers rounded to the tolerance's own precision.
                    allowed = rowTolerance + 1e-9 * max(1, abs(expected))
                }
                return abs(given - expected) <= allowed ? score : 0
            }
        }
    }

    /// A numeric cell, or a string that is nothing but a number (thousands separators allowed).
    static func exactNumber(_ value: DatasetValue) -> Double? {
        switch value {
        case .int, .double: return value.doubleValue
        case .string(let text):
            return Double(text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ",", with: ""))
        default: return nil
        }
    }

    /// The number a reference cell holds: a numeric cell, or the first number in its text.
    static func numericValue(_ value: DatasetValue) -> Double? {
        switch value {
        case .int, .double: return value.doubleValue
        case .string(let text): return RewardText.firstNumber(in: text)
        default: return nil
        }
    }
}
