/// One of the judge's 1–5 scales (the starter notebook's five).
public struct JudgeMetric: Hashable, Sendable {
    /// The name results and JSONL files use (`medical_accuracy`).
    public let key: String
    /// The label the judge writes before the score (`Medical accuracy`).
    public let label: String
    /// What the scale asks, as the judge prompt states it.
    public let question: String
    /// Other spellings a free-text reply may use for the label, lower case, most specific first.
    public let aliases: [String]

    public init(key: String, label: String, question: String, aliases: [String] = []) {
        self.key = key
        self.label = label
        self.question = question
        self.aliases = aliases
    }

    public static let medicalAccuracy = JudgeMetric(
        key: "medical_accuracy", label: "Medical accuracy",
        question: "Are the medical facts and the conclusion correct and consistent with the reference answer?",
        aliases: ["accuracy"])
    public static let reasoningQuality = JudgeMetric(
        key: "reasoning_quality", label: "Reasoning quality",
        question: "Is the reasoning logical, relevant and complete?",
        aliases: ["reasoning"])
    public static let formatAdherence = JudgeMetric(
        key: "format_adherence", label: "Format adherence",
        question: "Does the answer put its reasoning in <reasoning>…</reasoning> and its answer in <answer>…</answer>?",
        aliases: ["format"])
    public static let fluencyAndClarity = JudgeMetric(
        key: "fluency_and_clarity", label: "Fluency and clarity",
        question: "Is it clearly written and easy to follow?",
        aliases: ["fluency clarity", "fluency", "clarity"])
    public static let overallUsefulness = JudgeMetric(
        key: "overall_usefulness", label: "Overall usefulness",
        question: "How useful would the answer be to a clinician asking the question?",
        aliases: ["usefulness"])

    /// The five scales in the order the judge scores them.
    public static let all: [JudgeMetric] = [.medicalAccuracy, .reasoningQuality, .formatAdherence,
                                            .fluencyAndClarity, .overallUsefulness]

    /// The key of the overall score (the mean of the five).
    public static let overallKey = "overall"
}
