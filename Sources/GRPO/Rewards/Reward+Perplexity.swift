import Foundation
import LLM

extension Reward {
    /// Rewards completions the model finds likely, relative to the batch:
    /// `1 / (ppl / (mean ppl + 1e-9))`, where `ppl = exp(−mean log p)` over the completion's
    /// tokens given its prompt. 1 for a batch-average completion, above 1 for likelier ones.
    ///
    /// The mean is over the rows that have a perplexity; an empty completion (or one with no
    /// scorable token) gets nil. Completion ids from the batch are used when present, else the
    /// completion is tokenized on its own (no special tokens) and appended to the prompt's ids.
    public static func perplexity(model: LanguageModel, name: String = "perplexity") -> Reward {
        Reward(name: name, range: 0...Double.infinity) { batch in
            let perplexities = try batch.completions.indices.map { row -> Double? in
                let ids = batch.completionIDs?[row] ?? model.tokenizer.encode(batch.completions[row])
                return try completionPerplexity(model: model, prompt: batch.prompts[row], completionIDs: ids)
            }
            return normalizedPerplexities(perplexities)
        }
    }

    /// exp(−mean log p(completion token | everything before it)); nil when no completion token
    /// can be scored. With an empty prompt the BOS id (if the model has one) conditions the
    /// first token; without one, the first token is not scored.
    public static func completionPerplexity(model: LanguageModel, prompt: String, completionIDs: [Int]) throws -> Double? {
        let scored = try model.completionLogProbs(prompt: prompt, completionIDs: completionIDs)
        guard !scored.isEmpty else { return nil }
        let mean = scored.reduce(0.0) { $0 + Double($1) } / Double(scored.count)
        return exp(-mean)
    }

    /// `1 / (ppl / (mean + 1e-9))` per row, the mean taken over the finite perplexities
    /// (an infinite perplexity scores 0, a NaN or missing one nil).
    public static func normalizedPerplexities(_ perplexities: [Double?]) -> [Double?] {
        let known = perplexities.compactMap { $0 }.filter { $0.isFinite && $0 > 0 }
        guard !known.isEmpty else { return perplexities.map { _ in nil } }
        let mean = known.reduce(0, +) / Double(known.count)
        return perplexities.map { ppl in
            guard let ppl, ppl > 0, !ppl.isNaN else { return nil }
            if ppl.isInfinite { return 0 }
            return 1 / (ppl / (mean + 1e-9))
        }
    }
}
