import LLM

/// How an evaluation asks its questions and what it measures besides the judge.
public struct EvaluationOptions: Sendable {
    /// The system prompt asking for `<reasoning>…</reasoning><answer>…</answer>`.
    public static let reasoningSystemPrompt = """
        Respond in the following format:
        <reasoning>
        ...
        </reasoning>
        <answer>
        ...
        </answer>
        """

    /// How many cases (the first rows of the dataset); nil takes every row.
    public var count: Int?
    /// Length, sampling and seed of every candidate's answers. Every candidate uses the same
    /// settings and the same seeds: case i in batch b samples from `seed` + b·batchSize and i.
    public var generation = GenerationOptions(maxNewTokens: 200, sampling: SamplingOptions(temperature: 0.7, topP: 0.95), seed: 0)
    /// How many questions are answered as one batch (and judged before the next batch starts).
    public var batchSize = 8
    public var systemPrompt = EvaluationOptions.reasoningSystemPrompt
    /// The column holding the question.
    public var questionColumn = "Question"
    /// The column holding the reference answer the judge compares against.
    public var referenceColumn = "Response"
    /// A column with short answers (a number, a term) for exact and numeric correctness; nil
    /// when the dataset has none (medical-o1 has only long reference answers).
    public var answerColumn: String?
    /// Whether to compute MiniLM similarity between each answer and its reference.
    public var semanticSimilarity = true
    /// Bootstrap resamples for the confidence intervals, and their seed.
    public var bootstrapSamples = 2000
    public var statisticsSeed: UInt64 = 0

    public init(count: Int? = nil) {
        self.count = count
    }
}
