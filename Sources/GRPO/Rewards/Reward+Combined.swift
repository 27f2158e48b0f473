import Foundation
import LLM

extension Reward {
    /// A weighted sum of rewards: `Σ weight·score` over the parts that scored the row (a nil
    /// part adds nothing, as TRL's nansum), then clamped to `clamp` when given.
    ///
    /// An empty completion (only white space), or one no part could score (every part nil),
    /// gets `invalidScore` (−1.0) instead. A part that throws or returns the wrong number of
    /// scores makes the whole reward throw (a `RewardRunner` turns that into nil rows).
    public static func combined(_ parts: [(any RewardFunction, Double)], clamp: ClosedRange<Double>? = nil,
                                invalidScore: Double = -1.0, name: String = "combined") -> Reward {
        Reward(name: name, range: combinedRange(parts, clamp: clamp, invalidScore: invalidScore)) { batch in
            let scores = try parts.map { part, _ -> [Double?] in
                let values = try part.score(batch)
                guard values.count == batch.count else {
                    throw RewardError.wrongCount(reward: part.name, expected: batch.count, got: values.count)
                }
                return values
            }
            return batch.completions.indices.map { row -> Double? in
                let completion = batch.completions[row]
                if completion.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return invalidScore }
                var total = 0.0, scored = false
                for (index, part) in parts.enumerated() {
                    guard let value = scores[index][row] else { continue }
                    total += part.1 * value
                    scored = true
                }
                guard scored else { return invalidScore }
                if let clamp { total = min(clamp.upperBound, max(clamp.lowerBound, total)) }
                return total
            }
        }
    }

    /// The default mix: 0.5 semantic correctness + 0.4 perplexity + 0.1 tag presence,
    /// clamped to `clamp`.
    public static func combined(model: LanguageModel, encoder: SentenceEncoder? = nil, column: String = "answer",
                                clamp: ClosedRange<Double>? = -1...1, name: String = "combined") -> Reward {
        combined([(semanticCorrectness(encoder: encoder, column: column), 0.5),
                  (perplexity(model: model), 0.4),
                  (tagPresence(), 0.1)], clamp: clamp, name: name)
    }

    /// The values a weighted sum can take: the clamp range (or the sum of the weighted part
    /// ranges), widened to include `invalidScore`.
    static func combinedRange(_ parts: [(any RewardFunction, Double)], clamp: ClosedRange<Double>?,
                              invalidScore: Double) -> ClosedRange<Double> {
        var low = 0.0, high = 0.0
        if let clamp {
            (low, high) = (clamp.lowerBound, clamp.upperBound)
        } else {
            for (part, weight) in parts where weight != 0 {
                let ends = [weight * part.range.lowerBound, weight * part.range.upperBound].filter { !$0.isNaN }
                low += min(0, ends.min() ?? 0)
                high += max(0, ends.max() ?? 0)
            }
        }
        return min(low, invalidScore)...max(high, invalidScore)
    }
}
