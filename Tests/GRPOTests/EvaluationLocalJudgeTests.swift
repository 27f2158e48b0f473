import Foundation
import GRPO
import LLM
import XCTest

/// The local judge and whole evaluations on the real default model (SmolLM2-135M-Instruct).
final class EvaluationLocalJudgeTests: XCTestCase {
    static let model = Result { try LanguageModel.load(ModelRegistry.defaultModelName) }

    private static let questions = Dataset([
        ["Question": "Which vitamin deficiency causes scurvy?", "Response": "Vitamin C (ascorbic acid) deficiency.", "answer": "C"],
        ["Question": "What is the first-line drug for anaphylaxis?", "Response": "Intramuscular epinephrine (adrenaline).", "answer": "epinephrine"],
        ["Question": "How many chambers does the human heart have?", "Response": "Four: two atria and two ventricles.", "answer": "4"],
    ])

    private func options(count: Int) -> EvaluationOptions {
        var options = EvaluationOptions(count: count)
        options.generation.maxNewTokens = 24
        options.batchSize = 2
        options.semanticSimilarity = false
        options.answerColumn = "answer"
        return options
    }

    func testEveryCaseGetsFiveScoresBetweenOneAndFive() throws {
        let model = try Self.model.get()
        let judge = LocalJudge(model: model, explanationTokens: 12)
        let requests = [
            JudgeRequest(question: "Which vitamin deficiency causes scurvy?", reference: "Vitamin C deficiency.",
                         answer: "<reasoning>\nScurvy comes from a lack of ascorbic acid.\n</reasoning>\n<answer>\nVitamin C\n</answer>"),
            JudgeRequest(question: "Which vitamin deficiency causes scurvy?", reference: "Vitamin C deficiency.",
                         answer: "banana banana banana"),
            JudgeRequest(question: "", reference: "", answer: ""),
        ]
        let seen = LockedCounter()
        let verdicts = try judge.judge(requests, progress: { _ in seen.add() }, isCancelled: { false })
        XCTAssertEqual(verdicts.count, 3)
        XCTAssertEqual(seen.value, 3)
        for verdict in verdicts {
            XCTAssertTrue(verdict.isComplete, "\(verdict)")
            XCTAssertNil(verdict.problem)
            for metric in JudgeMetric.all {
                let score = try XCTUnwrap(verdict.scores[metric.key])
                XCTAssertTrue((1...5).contains(score), "\(metric.key) = \(score)")
            }
            XCTAssertTrue((1...5).contains(verdict.overall ?? 0))
        }
        // The judge reads probabilities: the same case gives the same scores.
        XCTAssertEqual(try judge.verdict(for: requests[0]), verdicts[0])
    }

    func testSameModelTwiceGivesIdenticalAnswersAndNoDifference() throws {
        let model = try Self.model.get()
        let judge = LocalJudge(model: model, explanationTokens: 0)
        let result = try evaluate(models: [("base", model), ("again", model)], on: Self.questions, judge: judge,
                                  options: options(count: 2))
        XCTAssertEqual(result.records.count, 4)
        XCTAssertEqual(result.models, ["base", "again"])
        for index in result.caseIndices {
            let a = try XCTUnwrap(result.record(case: index, model: "base"))
            let b = try XCTUnwrap(result.record(case: index, model: "again"))
            XCTAssertEqual(a.answer, b.answer, "same sampling settings and seeds for every model")
            XCTAssertEqual(a.scores, b.scores)
            XCTAssertEqual(a.referenceMetrics["exact_answer"] != nil, true)
            XCTAssertNotNil(a.referenceMetrics["answer_words"] ?? nil)
        }
        let overall = try XCTUnwrap(result.comparisons.first { $0.metric == "overall" })
        XCTAssertEqual(overall.pairs, 2)
        XCTAssertEqual(overall.meanDifference, 0)
        XCTAssertEqual(overall.pValue, 1)
    }

    func testAResumedRunOnlyDoesWhatIsLeftAndMatchesAFreshRun() throws {
        let model = try Self.model.get()
        let judge = LocalJudge(model: model, explanationTokens: 0)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("resume-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        let first = try evaluate(models: [("base", model)], on: Self.questions, judge: judge, options: options(count: 1),
                                 log: EvaluationLog(url: url, mode: .create))
        XCTAssertEqual(first.records.count, 1)
        var steps: [Int] = []
        let resumed = try evaluate(models: [("base", model)], on: Self.questions, judge: judge, options: options(count: 3),
                                   log: EvaluationLog(url: url, mode: .resume), progress: { steps.append($0.total) })
        XCTAssertEqual(steps.last, 4, "two cases left, each generated and judged")
        XCTAssertEqual(resumed.records.count, 3)
        XCTAssertEqual(resumed.records[0], first.records[0])
        XCTAssertEqual(try EvaluationLog.read(url).count, 3)
        let fresh = try evaluate(models: [("base", model)], on: Self.questions, judge: judge, options: options(count: 3))
        XCTAssertEqual(fresh.records.map(\.answer), resumed.records.map(\.answer))
        // Another dataset's file is refused.
        let other = Dataset([["Question": "Something else?", "Response": "x", "answer": "y"]])
        XCTAssertThrowsError(try evaluate(models: [("base", model)], on: other, judge: judge, options: options(count: 1),
                                          log: EvaluationLog(url: url, mode: .resume))) { error in
            XCTAssertEqual(error as? EvaluationError, .differentRun(path: url.path, caseIndex: 0))
        }
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
