import GRPO
import XCTest

/// `reward.check(…)`: expectation table and property checks.
final class RewardCheckTests: XCTestCase {
    let completions = ["<reasoning>a</reasoning><answer>b</answer>", "<answer>b</answer>", "none"]

    func testPassingCheck() {
        let report = Reward.tagPresence().check(completions: completions, expected: [1.0, 0.5, 0.0])
        XCTAssertTrue(report.passed, report.text)
        XCTAssertTrue(report.text.contains("1  <answer>b</answer>                          0.5    0.5       pass"), report.text)
        XCTAssertTrue(report.text.contains("PASSED"))
        XCTAssertTrue(report.html.contains("&lt;answer&gt;b&lt;/answer&gt;"))
        XCTAssertEqual(report.properties.map(\.name), ["one score per completion", "scores in range", "deterministic", "nil rate"])
    }

    func testWrongExpectationFails() {
        let report = Reward.tagPresence().check(completions: completions, expected: [1.0, 1.0, 0.0])
        XCTAssertFalse(report.passed)
        XCTAssertEqual(report.rows.map(\.passed), [true, false, true])
        XCTAssertTrue(report.text.contains("FAIL"))
        XCTAssertFalse(Reward.tagPresence().check(completions: completions, expected: [1.0]).passed)
    }

    func testColumnsAndNilExpectations() {
        let report = Reward.exactAnswer().check(completions: ["<answer>b</answer>", "x", "y"], expected: [1, 0, nil],
                                                columns: ["answer": ["B", "y", .null]])
        XCTAssertTrue(report.passed, report.text)
        XCTAssertTrue(Reward.exactAnswer().check(completions: ["b"], expected: [1], answers: ["b"]).passed)
    }

    func testPropertyViolations() {
        final class Counter { var calls = 0.0 }
        let counter = Counter()
        let drifting = Reward(name: "drifting", range: 0...10) { batch in
            counter.calls += 1
            return batch.completions.map { _ in counter.calls }
        }
        let drift = drifting.check(completions: completions)
        XCTAssertFalse(drift.passed)
        XCTAssertEqual(drift.properties.first { $0.name == "deterministic" }?.passed, false)

        let outOfRange = Reward(name: "big", range: 0...1) { batch in batch.completions.map { _ in 2.0 } }
        XCTAssertEqual(outOfRange.check(completions: completions).properties.first { $0.name == "scores in range" }?.passed, false)

        let short = Reward(name: "short") { _ in [1.0] }
        XCTAssertEqual(short.check(completions: completions).properties.first?.passed, false)

        let throwing = Reward(name: "throwing") { _ in throw RewardError.invalidArgument("bad") }
        let failed = throwing.check(completions: completions)
        XCTAssertFalse(failed.passed)
        XCTAssertEqual(failed.error, "bad")
        XCTAssertTrue(failed.text.contains("error: bad"))
    }
}
