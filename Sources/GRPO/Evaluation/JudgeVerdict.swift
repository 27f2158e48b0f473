/// What a judge said about one answer: a 1–5 score per metric (absent when the judge gave none,
/// never zero), the overall score (their mean) and a short explanation.
public struct JudgeVerdict: Sendable, Equatable {
    /// Scores by metric key; a metric the judge did not score is absent.
    public var scores: [String: Double]
    public var explanation: String
    /// How many replies were asked for (a reply missing scores is asked for once more).
    public var attempts: Int
    /// Why scores are missing (an unparseable reply, a request that failed); nil when complete.
    public var problem: String?

    public init(scores: [String: Double], explanation: String = "", attempts: Int = 1, problem: String? = nil) {
        self.scores = scores
        self.explanation = explanation
        self.attempts = attempts
        self.problem = problem
    }

    /// A verdict with no scores at all, and why.
    public static func missing(_ problem: String, attempts: Int) -> JudgeVerdict {
        JudgeVerdict(scores: [:], attempts: attempts, problem: problem)
    }

    /// True when every metric has a score.
    public var isComplete: Bool { JudgeMetric.all.allSatisfy { scores[$0.key] != nil } }

    /// The mean of the five scores; nil unless all five are present.
    public var overall: Double? {
        guard isComplete else { return nil }
        return JudgeMetric.all.reduce(0.0) { $0 + (scores[$1.key] ?? 0) } / Double(JudgeMetric.all.count)
    }
}
