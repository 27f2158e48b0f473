import GRPO

/// A judge as cells see it (`Judge`): a local model or an OpenAI-compatible server.
final class JudgeObject: NativeObject, CustomStringConvertible {
    let judge: any Judge

    init(_ judge: any Judge) {
        self.judge = judge
    }

    var typeName: String { "Judge" }
    var description: String { "Judge(\(judge.name))" }
}

/// `evaluate(…)`'s result (`EvaluationResult`): the summary table; `cases` shows single cases.
final class EvaluationResultObject: NativeObject, CustomStringConvertible {
    let result: EvaluationResult

    init(_ result: EvaluationResult) {
        self.result = result
    }

    var typeName: String { "EvaluationResult" }
    var description: String { result.text }
    func mimeBundle() -> MIMEBundle? { MIMEBundle(data: ["text/plain": result.text, "text/html": result.html]) }
}

/// `result.cases`: every case with each model's answer, scores and explanation.
final class EvaluationCasesObject: NativeObject, CustomStringConvertible {
    let result: EvaluationResult

    init(_ result: EvaluationResult) {
        self.result = result
    }

    var typeName: String { "EvaluationCases" }
    var description: String { result.casesText }
    func mimeBundle() -> MIMEBundle? { MIMEBundle(data: ["text/plain": result.casesText, "text/html": result.casesHTML]) }
}
