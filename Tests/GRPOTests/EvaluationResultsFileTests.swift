import Foundation
import GRPO
import XCTest

/// JSONL records: round trip, resume after a cut-off line, refusing another run's file, and the summary table.
final class EvaluationResultsFileTests: XCTestCase {
    private func record(_ index: Int, _ model: String, scores: [String: Double], problem: String? = nil) -> EvaluationRecord {
        EvaluationRecord(caseIndex: index, model: model, question: "Q\(index)?", reference: "R\(index)", answer: "A \"\(model)\"\n",
                         finishReason: "endOfSequence", scores: scores, explanation: "fine", judge: "test judge", attempts: 1,
                         problem: problem, referenceMetrics: ["tag_presence": 0.5, "similarity": nil, "answer_words": 2])
    }

    private let full: [String: Double] = ["medical_accuracy": 4, "reasoning_quality": 3, "format_adherence": 2,
                                          "fluency_and_clarity": 5, "overall_usefulness": 1]

    private func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID().uuidString).jsonl")
    }

    func testRoundTripKeepsScoresAndMissingOnes() throws {
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let log = try EvaluationLog(url: url, mode: .create)
        let records = [record(0, "base", scores: full), record(0, "tuned", scores: ["medical_accuracy": 5], problem: "asked twice")]
        for item in records { try log.append(item) }
        XCTAssertEqual(try EvaluationLog.read(url), records)
        let line = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")[1]
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let scores = try XCTUnwrap(object["scores"] as? [String: Any])
        XCTAssertEqual(Set(scores.keys), Set(JudgeMetric.all.map(\.key)))
        XCTAssertEqual(scores["medical_accuracy"] as? Double, 5)
        XCTAssertTrue(scores["reasoning_quality"] is NSNull, "a missing score is null, never 0")
        XCTAssertTrue(object["overall"] is NSNull)
        XCTAssertThrowsError(try EvaluationLog(url: url, mode: .create)) { error in
            XCTAssertEqual(error as? EvaluationError, .resultsFileExists(path: url.path))
        }
    }

    func testResumeDropsACutOffLastLine() throws {
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let whole = record(0, "base", scores: full).jsonLine
        try (whole + "\n" + String(whole.prefix(40))).write(to: url, atomically: true, encoding: .utf8)
        let log = try EvaluationLog(url: url, mode: .resume)
        XCTAssertEqual(log.existing.count, 1)
        try log.append(record(1, "base", scores: full))
        XCTAssertEqual(try EvaluationLog.read(url).map(\.caseIndex), [0, 1])
        // A bad line in the middle is an error naming the line.
        try ("garbage\n" + whole + "\n").write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try EvaluationLog(url: url, mode: .resume)) { error in
            XCTAssertTrue("\(error)".contains("line 1"), "\(error)")
        }
    }

    func testSummaryShowsMeansDifferencesAndMissingCounts() {
        var tuned = full
        tuned["medical_accuracy"] = 5
        let result = EvaluationResult(records: [record(0, "base", scores: full), record(0, "tuned", scores: tuned),
                                                record(1, "base", scores: full), record(1, "tuned", scores: [:], problem: "x")])
        XCTAssertEqual(result.models, ["base", "tuned"])
        XCTAssertEqual(result.mean("medical_accuracy", model: "base").mean, 4)
        XCTAssertEqual(result.mean("medical_accuracy", model: "tuned").count, 1)
        XCTAssertEqual(result.mean("overall", model: "tuned").mean ?? 0, 3.2, accuracy: 1e-12)
        XCTAssertEqual(result.incompleteRecords.count, 1)
        let text = result.text
        XCTAssertTrue(text.contains("Δ tuned − base"), text)
        let row = text.split(separator: "\n").first { $0.hasPrefix("medical_accuracy") }.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        XCTAssertEqual(row?.prefix(6).map(String.init), ["medical_accuracy", "4.00", "(n=2)", "5.00", "(n=1)", "+1.00"], text)
        XCTAssertTrue(text.contains("1 record(s) with missing scores"), text)
        XCTAssertTrue(text.contains("tag_presence"), text)
        XCTAssertTrue(result.html.contains("<table>"))
        XCTAssertTrue(result.caseText(1).contains("missing: x"))
    }

    func testPromptSlotsAndChecks() throws {
        let prompt = try JudgePrompt(template: "Q={question} R={reference} A={answer} {\"json\": {keep}}")
        XCTAssertEqual(prompt.render(question: "q", reference: "{answer}", answer: "a"), "Q=q R={answer} A=a {\"json\": {keep}}")
        XCTAssertThrowsError(try JudgePrompt(template: "no answer here"))
        let standard = JudgePrompt.standard.render(question: "What?", reference: "This.", answer: "That.")
        for metric in JudgeMetric.all { XCTAssertTrue(standard.contains(metric.label + ": <1-5>"), metric.label) }
        XCTAssertTrue(standard.contains("Explanation:"))
        XCTAssertTrue(JudgePrompt.standard.render(question: "", reference: "", answer: String(repeating: "x", count: 5000), limit: 100)
            .contains("cut at 100 characters"))
    }
}
