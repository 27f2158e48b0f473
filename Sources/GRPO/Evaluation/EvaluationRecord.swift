/// One case answered by one candidate and judged: the JSONL line of a results file.
public struct EvaluationRecord: Sendable, Equatable {
    /// The row's position among the evaluated rows.
    public var caseIndex: Int
    /// The candidate's name.
    public var model: String
    public var question: String
    public var reference: String
    public var answer: String
    /// Why generation stopped (endOfSequence, maxNewTokens, …).
    public var finishReason: String
    /// The judge's scores by metric key (absent = missing, never zero).
    public var scores: [String: Double]
    public var explanation: String
    /// The judge's name.
    public var judge: String
    /// How many replies the judge was asked for.
    public var attempts: Int
    /// Why scores are missing; nil when all five are there.
    public var problem: String?
    /// Metrics that need no judge (format, similarity, length, correctness) by name; nil where
    /// a metric does not apply.
    public var referenceMetrics: [String: Double?]

    public init(caseIndex: Int, model: String, question: String, reference: String, answer: String, finishReason: String,
                scores: [String: Double], explanation: String, judge: String, attempts: Int, problem: String?,
                referenceMetrics: [String: Double?]) {
        self.caseIndex = caseIndex
        self.model = model
        self.question = question
        self.reference = reference
        self.answer = answer
        self.finishReason = finishReason
        self.scores = scores
        self.explanation = explanation
        self.judge = judge
        self.attempts = attempts
        self.problem = problem
        self.referenceMetrics = referenceMetrics
    }

    /// The mean of the five scores; nil unless all five are present.
    public var overall: Double? {
        JudgeVerdict(scores: scores).overall
    }

    /// A score by metric key, `overall` included.
    public func score(_ key: String) -> Double? {
        key == JudgeMetric.overallKey ? overall : scores[key]
    }
}
