/// Where a running evaluation is, for progress displays.
public struct EvaluationProgress: Sendable, CustomStringConvertible {
    public enum Stage: String, Sendable {
        case generating, judging, finished
    }

    public var stage: Stage
    /// The model answering (while generating).
    public var model: String?
    /// Answers generated and judged so far (each case and model counts twice: once generated,
    /// once judged), and how many there are in all.
    public var completed: Int
    public var total: Int
    /// Tokens generated in the current batch.
    public var tokens: Int
    /// Records taken from the results file when resuming.
    public var resumed: Int

    public var fraction: Double { total == 0 ? 1 : Double(completed) / Double(total) }

    public var description: String {
        var text: String
        switch stage {
        case .generating: text = "generating answers of \(model ?? "?") (\(tokens) tokens)"
        case .judging: text = "judging"
        case .finished: text = "done"
        }
        text += " — \(completed)/\(total) steps"
        if resumed > 0 { text += ", \(resumed) records resumed" }
        return text
    }
}
