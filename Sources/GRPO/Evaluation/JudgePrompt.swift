/// The judge's instructions: a system message and a user message template whose slots
/// `{question}`, `{reference}` and `{answer}` are filled per case. Other braces are left as they
/// are, so a template may show JSON.
public struct JudgePrompt: Sendable, Equatable {
    public var system: String
    public var template: String

    /// The slots a template may use.
    public static let slots = ["question", "reference", "answer"]

    /// Checks that `template` has the `{answer}` slot (a judge that never sees the answer
    /// cannot score it).
    public init(system: String = JudgePrompt.standard.system, template: String) throws {
        guard template.contains("{answer}") else {
            throw JudgeError.invalidPrompt("The judge prompt template has no {answer} slot; add {answer} "
                                           + "(and usually {question} and {reference}) where the texts go.")
        }
        self.system = system
        self.template = template
    }

    private init(uncheckedSystem system: String, template: String) {
        self.system = system
        self.template = template
    }

    /// The starter notebook's judge: question, reference answer and model answer; five 1–5
    /// scores, the overall score (their mean) and a 2–3 sentence explanation.
    public static let standard = JudgePrompt(uncheckedSystem: """
        You are an expert physician grading answers to medical questions. You are strict, fair and concise.
        """, template: """
        Grade the model's answer to a medical question, using the reference answer as the standard.

        Question:
        {question}

        Reference answer:
        {reference}

        Model answer:
        {answer}

        Score the model answer from 1 (very poor) to 5 (excellent) on each criterion:
        \(JudgeMetric.all.map { "- \($0.label): \($0.question)" }.joined(separator: "\n"))

        Reply in exactly this form:
        \(JudgeMetric.all.map { "\($0.label): <1-5>" }.joined(separator: "\n"))
        Overall score: <the mean of the five scores>
        Explanation: <2-3 sentences justifying the scores>
        """)

    /// The user message for one case. Each text is cut to `limit` characters (with a note) so
    /// a runaway answer cannot overflow the judge's context.
    public func render(question: String, reference: String, answer: String, limit: Int = 4000) -> String {
        let values = ["question": question, "reference": reference, "answer": answer].mapValues { text in
            text.count <= limit ? text : String(text.prefix(limit)) + " […cut at \(limit) characters]"
        }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = values[String(rest[afterOpen..<close])] {
                out += value
                rest = rest[rest.index(after: close)...]
            } else {
                out += "{"
                rest = rest[afterOpen...]
            }
        }
        return out + rest
    }
}
