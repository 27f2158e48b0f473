import LLM

/// Metrics that need no judge, computed with the reward functions: format adherence (tag
/// presence, soft and strict format, each 0…1), MiniLM similarity of the extracted answer to
/// the reference (−1…1), exact and numeric correctness against a short-answer column when the
/// dataset has one, and the answer's length in words.
public struct ReferenceMetrics {
    public static let tagPresence = "tag_presence"
    public static let softFormat = "soft_format"
    public static let strictFormat = "strict_format"
    public static let similarity = "similarity"
    public static let exactAnswer = "exact_answer"
    public static let numericAnswer = "numeric_answer"
    public static let answerWords = "answer_words"

    /// The names in display order.
    public static let order = [tagPresence, softFormat, strictFormat, similarity, exactAnswer, numericAnswer, answerWords]

    public var semanticSimilarity: Bool
    /// The encoder for similarity; nil loads the default all-MiniLM-L6-v2 once.
    public var encoder: SentenceEncoder?

    public init(semanticSimilarity: Bool = true, encoder: SentenceEncoder? = nil) {
        self.semanticSimilarity = semanticSimilarity
        self.encoder = encoder
    }

    /// The metrics of each answer. `shortAnswers` (one per answer, or nil) enables exact and
    /// numeric correctness.
    public func measure(answers: [String], references: [String], shortAnswers: [DatasetValue]?) throws -> [[String: Double?]] {
        var rewards: [any RewardFunction] = [
            Reward.tagPresence(name: Self.tagPresence),
            Reward.softFormat(score: 1, name: Self.softFormat),
            Reward.strictFormat(score: 1, name: Self.strictFormat),
        ]
        var columns: [String: [DatasetValue]] = ["reference": references.map { .string($0) }]
        if semanticSimilarity {
            rewards.append(Reward.semanticCorrectness(encoder: encoder, column: "reference", name: Self.similarity))
        }
        if let shortAnswers {
            columns["answer"] = shortAnswers
            rewards.append(Reward.exactAnswer(column: "answer", name: Self.exactAnswer))
            rewards.append(Reward.numericTolerance(rtol: 0.01, column: "answer", name: Self.numericAnswer))
        }
        let batch = try RewardBatch(completions: answers, columns: columns)
        var rows = answers.map { answer -> [String: Double?] in
            [Self.answerWords: Double(answer.split(whereSeparator: { $0.isWhitespace }).count)]
        }
        for reward in rewards {
            let scores = try reward.score(batch)
            for (row, score) in scores.enumerated() where row < rows.count { rows[row][reward.name] = .some(score) }
        }
        return rows
    }
}
