import Foundation
import Runtime
import XCTest

/// `Judge`, `evaluate` and `EvaluationResult` in cells.
final class EvaluationPreludeTests: XCTestCase {
    func testEvaluateFromACellShowsProgressAndATable() throws {
        let t = TestSession()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cell-eval-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: output) }
        XCTAssertNil(t.run(#"""
            let model = try Model.load("SmolLM2-135M-Instruct")
            let data = Dataset([["Question": "Which vitamin deficiency causes scurvy?", "Response": "Vitamin C deficiency."],
                                ["Question": "What treats anaphylaxis first?", "Response": "Intramuscular epinephrine."]])
            let judge = Judge.local(model, explanationTokens: 4)
            """#).error)
        let run = t.run(#"""
            let result = evaluate([("base", model)], on: data, judge: judge, count: 2, maxNewTokens: 12, similarity: false,
                                  output: "\#(output.path)")
            result
            """#)
        XCTAssertNil(run.error, "\(String(describing: run.error))")
        let progress = t.sink.displays.filter { $0.plainText.hasPrefix("Evaluation ") }
        XCTAssertGreaterThanOrEqual(progress.count, 3, "progress is shown and updated while it runs")
        XCTAssertTrue(progress.last?.plainText.contains("100%") ?? false, progress.last?.plainText ?? "")
        XCTAssertTrue(progress.first?.data["text/html"]?.contains("<progress") ?? false)
        let table = try XCTUnwrap(run.result)
        XCTAssertTrue(table.contains("medical_accuracy"), table)
        XCTAssertTrue(table.contains("(n=2)"), table)
        XCTAssertEqual(t.run("print(result.records.count, result.models)").stdout, "2 [\"base\"]\n")
        XCTAssertEqual(t.run(#"print(loadEvaluation("\#(output.path)").records.count)"#).stdout, "2\n")
        let overall = t.run(#"print(result.mean("overall", model: "base")! >= 1)"#)
        XCTAssertEqual(overall.stdout, "true\n", "\(String(describing: overall.error))")
        XCTAssertTrue(t.run("result.cases").result?.contains("Case 1") ?? false)
    }

    func testBadArgumentsAreClearErrors() {
        let t = TestSession()
        let data = #"let data = Dataset([["Question": "Q", "Response": "R"]])"#
        XCTAssertNil(t.run(data).error)
        let missing = t.run(#"let j = Judge.server("http://127.0.0.1:9/v1", model: "m", apiKeyVariable: "SWIFT_GRPO_TEST_UNSET_KEY")"#)
        XCTAssertTrue(missing.error?.message.contains("SWIFT_GRPO_TEST_UNSET_KEY") ?? false, "\(String(describing: missing.error))")
        let url = t.run(#"let j = Judge.server("ftp://example", model: "m")"#)
        XCTAssertTrue(url.error?.message.contains("not an http(s) URL") ?? false, "\(String(describing: url.error))")
        let prompt = t.run(#"let j = Judge.server("http://127.0.0.1:9/v1", model: "m", prompt: "no slot")"#)
        XCTAssertTrue(prompt.error?.message.contains("{answer}") ?? false, "\(String(describing: prompt.error))")
        XCTAssertTrue(t.run("print(Judge.defaultPrompt.contains(\"{answer}\"))").stdout == "true\n")
    }

    func testTheAPIKeyNeverShows() throws {
        let secret = "sk-test-\(UUID().uuidString)"
        setenv("SWIFT_GRPO_TEST_KEY", secret, 1)
        defer { unsetenv("SWIFT_GRPO_TEST_KEY") }
        let t = TestSession()
        // Port 9 (discard) on loopback: nothing listens, so every attempt fails to connect.
        let cell = #"""
            let judge = Judge.server("http://127.0.0.1:9/v1", model: "judge", apiKeyVariable: "SWIFT_GRPO_TEST_KEY", timeout: 2, retries: 1)
            print(judge)
            print(judge.name)
            let data = Dataset([["Question": "Q?", "Response": "R."]])
            let model = try Model.load("SmolLM2-135M-Instruct")
            let result = evaluate([("base", model)], on: data, judge: judge, maxNewTokens: 4, similarity: false)
            print(result.records[0]["problem"]!)
            result
            """#
        let outcome = t.run(cell)
        XCTAssertNil(outcome.error, "\(String(describing: outcome.error))")
        XCTAssertTrue(outcome.stdout.contains("Judge(judge at http://127.0.0.1:9/v1/chat/completions)"), outcome.stdout)
        XCTAssertTrue(outcome.stdout.contains("connection refused"), outcome.stdout)
        let everything = outcome.stdout + (outcome.result ?? "") + t.sink.displays.map { $0.data.values.joined() }.joined()
        XCTAssertFalse(everything.contains(secret), "the key leaked into the output")
    }
}
