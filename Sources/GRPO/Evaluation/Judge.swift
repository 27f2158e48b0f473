/// One answer to judge: the question, the reference answer and the model's answer.
public struct JudgeRequest: Sendable, Equatable {
    public var question: String
    public var reference: String
    public var answer: String

    public init(question: String, reference: String, answer: String) {
        self.question = question
        self.reference = reference
        self.answer = answer
    }
}

/// Scores answers on the five 1–5 scales. A local model (`LocalJudge`) and OpenAI-compatible
/// servers (`OpenAICompatibleJudge`) are the two kinds.
public protocol Judge: AnyObject {
    /// Shown in results and saved with each record (never holds a key).
    var name: String { get }
    /// The instructions the judge follows.
    var prompt: JudgePrompt { get set }
    /// One verdict per request, in order. A case the judge could not score gets a verdict with
    /// missing scores and its `problem`; errors that affect every case (`stopsEvaluation`) are
    /// thrown. `progress` is called once per finished request (from any thread).
    func judge(_ requests: [JudgeRequest], progress: @escaping @Sendable (Int) -> Void,
               isCancelled: @escaping @Sendable () -> Bool) throws -> [JudgeVerdict]
}
