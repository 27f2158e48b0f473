import Foundation

/// Records as JSON lines: `{"case": 0, "model": "base", …, "scores": {"medical_accuracy": 4.2, …}}`,
/// one per case and model; a missing score is `null`. (Foundation's JSONSerialization for now;
/// the project's JSON code is being consolidated.)
extension EvaluationRecord {
    /// One line of JSON (keys sorted, no newline).
    public var jsonLine: String {
        let scoreObject = Dictionary(uniqueKeysWithValues: JudgeMetric.all.map { ($0.key, Self.json(scores[$0.key])) })
        let metrics = referenceMetrics.mapValues { Self.json($0) }
        let object: [String: Any] = [
            "case": caseIndex, "model": model, "question": question, "reference": reference, "answer": answer,
            "finish_reason": finishReason, "scores": scoreObject, "overall": Self.json(overall),
            "explanation": explanation, "judge": judge, "attempts": attempts, "problem": problem ?? NSNull(),
            "reference_metrics": metrics,
        ]
        // Every value above is a string, a number, null, or an object of those.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a line written by `jsonLine`; `number` names the line in errors.
    public init(jsonLine line: String, number: Int, file: String) throws {
        func bad(_ what: String) -> EvaluationError {
            .unreadableResults(path: file, line: number, reason: what)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw bad("not a JSON object")
        }
        func string(_ key: String) throws -> String {
            guard let value = object[key] as? String else { throw bad("\"\(key)\" is missing or not a string") }
            return value
        }
        guard let caseIndex = (object["case"] as? NSNumber)?.intValue else { throw bad("\"case\" is missing or not a number") }
        guard let scoreObject = object["scores"] as? [String: Any] else { throw bad("\"scores\" is missing or not an object") }
        var scores: [String: Double] = [:]
        for (key, value) in scoreObject {
            if let number = value as? NSNumber { scores[key] = number.doubleValue }
        }
        var metrics: [String: Double?] = [:]
        for (key, value) in object["reference_metrics"] as? [String: Any] ?? [:] {
            metrics[key] = .some((value as? NSNumber)?.doubleValue)
        }
        self.init(caseIndex: caseIndex, model: try string("model"), question: try string("question"),
                  reference: try string("reference"), answer: try string("answer"),
                  finishReason: object["finish_reason"] as? String ?? "",
                  scores: scores, explanation: object["explanation"] as? String ?? "",
                  judge: object["judge"] as? String ?? "", attempts: (object["attempts"] as? NSNumber)?.intValue ?? 1,
                  problem: object["problem"] as? String, referenceMetrics: metrics)
    }

    private static func json(_ value: Double?) -> Any {
        guard let value, value.isFinite else { return NSNull() }
        return value
    }
}
