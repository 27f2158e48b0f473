import LLM

extension Reward {
    /// DAPO's overlong soft punishment (Eq. 13; TRL's `get_soft_overlong_punishment`): with
    /// L tokens, 0 while L ≤ max − cache, then falling linearly `((max − cache) − L) / cache`
    /// to −1 at L = max, and −1 beyond.
    ///
    /// Token counts come from the batch's completion ids when present, else from `tokenCount`.
    public static func overlongPenalty(maxCompletionLength: Int, softCacheLength: Int,
                                       tokenCount: ((String) -> Int)? = nil, name: String = "overlong_penalty") -> Reward {
        Reward(name: name, range: -1...0) { batch in
            guard maxCompletionLength > 0, softCacheLength > 0, softCacheLength <= maxCompletionLength else {
                throw RewardError.invalidArgument(
                    "overlongPenalty needs 0 < softCacheLength ≤ maxCompletionLength (got \(softCacheLength) and \(maxCompletionLength)).")
            }
            let counts: [Int]
            if let ids = batch.completionIDs {
                counts = ids.map(\.count)
            } else if let tokenCount {
                counts = batch.completions.map(tokenCount)
            } else {
                throw RewardError.missingTokenCounts(reward: name)
            }
            return counts.map { overlongPenaltyScore(length: $0, maxCompletionLength: maxCompletionLength,
                                                     softCacheLength: softCacheLength) }
        }
    }

    /// `overlongPenalty` counting tokens with `model`'s tokenizer.
    public static func overlongPenalty(maxCompletionLength: Int, softCacheLength: Int, model: LanguageModel,
                                       name: String = "overlong_penalty") -> Reward {
        let tokenizer = model.tokenizer
        return overlongPenalty(maxCompletionLength: maxCompletionLength, softCacheLength: softCacheLength,
                               tokenCount: { tokenizer.encode($0).count }, name: name)
    }

    /// The same reward as `overlongPenalty` (the name TRL users search for is "length penalty").
    public static func lengthPenalty(maxCompletionLength: Int, softCacheLength: Int,
                                     tokenCount: ((String) -> Int)? = nil, name: String = "length_penalty") -> Reward {
        overlongPenalty(maxCompletionLength: maxCompletionLength, softCacheLength: softCacheLength,
                        tokenCount: tokenCount, name: name)
    }

    /// The penalty for one completion of `length` tokens.
    public static func overlongPenaltyScore(length: Int, maxCompletionLength: Int, softCacheLength: Int) -> Double {
        let expected = maxCompletionLength - softCacheLength
        if length <= expected { return 0 }
        if length <= maxCompletionLength { return Double(expected - length) / Double(softCacheLength) }
        return -1
    }
}
