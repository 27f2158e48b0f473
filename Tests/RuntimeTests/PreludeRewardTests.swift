import Foundation
import XCTest
import Runtime

/// `Reward` in cells: built-ins, rewards written in cells under TRL's contract, fault isolation,
/// checks and reports.
final class PreludeRewardTests: XCTestCase {
    func testCellRewardsGetColumnsByParameterName() {
        let t = TestSession()
        XCTAssertNil(t.run(#"""
            func matches(prompts: [String], completions: [String], answer: [String]) -> [Double?] {
                zip(completions, answer).map { $0.contains($1) ? 1.0 : 0.0 }
            }
            let reward = Reward(matches)
            """#).error)
        XCTAssertEqual(t.run(#"print(reward.name, reward.score(completions: ["it is 42", "no"], answers: ["42", "42"]))"#).stdout,
                       "matches [Optional(1.0), Optional(0.0)]\n")
        // A closure with named parameters, a row repeated for the group, nil for "not applicable".
        t.run(#"let unit = Reward(name: "unit") { completions, unit in zip(completions, unit).map { $1.isEmpty ? nil : ($0.hasSuffix($1) ? 1.0 : 0.0) } }"#)
        XCTAssertEqual(t.run(#"print(unit.score(completions: ["5 mmHg", "5"], row: ["unit": "mmHg"]))"#).stdout,
                       "[Optional(1.0), Optional(0.0)]\n")
        XCTAssertEqual(t.run(#"print(unit.score(completions: ["5"], row: ["unit": ""]))"#).stdout, "[nil]\n")
        // prompts, completionIDs-free rewards and every column at once.
        t.run(#"let echo = Reward { prompts, columns in prompts.map { _ in Double(columns.count) } }"#)
        XCTAssertEqual(t.run(#"print(echo.name, echo.score(completions: ["a"], prompt: "p", columns: ["x": [1], "y": [2]]))"#).stdout,
                       "reward [Optional(2.0)]\n")
    }

    func testRewardsNeedNamedParametersAndKnownColumns() {
        let t = TestSession()
        XCTAssertTrue(t.run("let r = Reward { $0.map { _ in 1.0 } }").error?.message.contains("named after what it needs") ?? false)
        t.run("func needs(completions: [String], answer: [String]) -> [Double?] { completions.map { _ in 1.0 } }")
        let missing = t.run(#"print(Reward(needs).score(completions: ["a"]))"#)
        XCTAssertTrue(missing.error?.message.contains(#"needs a column "answer""#) ?? false, "\(String(describing: missing.error))")
        t.run("func text(completions: [String]) -> [Double?] { completions.map { _ in nil } + [\"x\"] }")
        XCTAssertTrue(t.run(#"Reward(text).score(completions: ["a"])"#).error != nil)
    }

    func testBuiltInsAndCombined() {
        let t = TestSession()
        let good = #""<reasoning>\nx\n</reasoning>\n<answer>\n4\n</answer>\n""#
        XCTAssertEqual(t.run("print(Reward.tagPresence().score(completions: [\(good), \"none\"]))").stdout,
                       "[Optional(1.0), Optional(0.0)]\n")
        XCTAssertEqual(t.run("print(Reward.strictFormat().score(completions: [\(good)]), Reward.xmlCount().score(completions: [\(good)]))").stdout,
                       "[Optional(0.5)] [Optional(0.5)]\n")
        XCTAssertEqual(t.run("print(Reward.exactAnswer().score(completions: [\(good)], answers: [\"4\"]), Reward.intAnswer().score(completions: [\(good)]))").stdout,
                       "[Optional(1.0)] [Optional(0.5)]\n")
        XCTAssertEqual(t.run(#"print(Reward.numericTolerance(atol: 0.5).score(completions: ["<answer>4.4</answer>", "<answer>5</answer>"], answers: ["4", "4"]))"#).stdout,
                       "[Optional(1.0), Optional(0.0)]\n")
        // 0.7·tags + 0.6·exact, clamped to 0...1; an empty completion is −1.
        t.run("let mix = Reward.combined([(Reward.tagPresence(), 0.7), (Reward.exactAnswer(), 0.6)], clamp: 0...1)")
        XCTAssertEqual(t.run("print(mix.score(completions: [\(good), \"<answer>4</answer>\", \"  \"], answers: [\"4\", \"5\", \"4\"]))").stdout,
                       "[Optional(1.0), Optional(0.35), Optional(-1.0)]\n")
        XCTAssertEqual(t.run("print(Reward.lengthPenalty(maxCompletionLength: 10, softCacheLength: 5).score(completions: [\"abc\", \"abcdefghij\"]))").stdout,
                       "[Optional(0.0), Optional(-1.0)]\n")
        let semantic = t.run(#"print(Reward.semanticCorrectness().score(completions: ["<answer>insulin</answer>"], answers: ["insulin"])[0]!)"#)
        XCTAssertEqual(Double(semantic.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 1, accuracy: 1e-6,
                       semantic.error?.description ?? semantic.stdout)
    }

    func testReportIsolatesFaultyRewards() throws {
        let sink = MemorySink()
        let session = Session(output: sink)
        _ = session.execute(#"""
            func wrongCount(completions: [String]) -> [Double?] { [1.0] }
            func traps(completions: [String]) -> [Double?] { let a = [1]; return [Double(a[3])] }
            func notANumber(completions: [String]) -> [Double?] { completions.map { _ in 0.0 / 0.0 } }
            let ok = Reward(name: "length") { completions in completions.map { Double($0.count) } }
            """#)
        let bundle = try XCTUnwrap(try session.execute(#"Reward.report([Reward(wrongCount), Reward(traps), Reward(notANumber), ok], completions: ["ab", "abc"])"#).get())
        let text = bundle.plainText
        XCTAssertTrue(text.contains("wrongCount"), text)
        XCTAssertTrue(text.contains("returned 1 scores for 2 completions"), text)
        XCTAssertTrue(text.contains("Index out of range"), text)
        XCTAssertTrue(text.contains("NaN"), text)
        XCTAssertTrue(bundle.data["text/html"]?.contains("Faults") ?? false)
        _ = session.execute(#"let scores = Reward.report([Reward(traps), ok], completions: ["ab", "abc"]).scores"#)
        sink.reset()
        _ = session.execute(#"print(scores["traps"]!, scores["length"]!)"#)
        XCTAssertEqual(sink.stdout, "[nil, nil] [Optional(2.0), Optional(3.0)]\n")
    }

    func testCheckShowsExpectationsAndProperties() throws {
        let session = Session(output: MemorySink())
        _ = session.execute("func flaky(completions: [String]) -> [Double?] { completions.map { _ in Double.random(in: 0...1) } }")
        let pass = try XCTUnwrap(try session.execute(#"Reward.tagPresence().check(completions: ["<answer>1</answer>", "x"], expected: [0.5, 0.0])"#).get())
        XCTAssertTrue(pass.plainText.contains("PASSED"), pass.plainText)
        XCTAssertTrue(pass.data["text/html"]?.contains("<table") ?? false)
        let fail = try XCTUnwrap(try session.execute(#"Reward(flaky).check(completions: ["a", "b"])"#).get())
        XCTAssertTrue(fail.plainText.contains("two runs gave different scores"), fail.plainText)
        let result = session.execute(#"print(Reward.tagPresence().check(completions: ["x"], expected: [1.0]).passed)"#)
        XCTAssertNil(result.error)
    }

    func testACellRewardOverItsTimeBudgetIsStoppedAndReported() {
        let t = TestSession()
        t.run("func spins(completions: [String]) -> [Double?] { while true {} }")
        let start = Date()
        let outcome = t.run(#"let r = Reward.report([Reward(spins), Reward.tagPresence()], completions: ["<answer>1</answer>"], timeBudget: 0.2)"#)
        XCTAssertNil(outcome.error)
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
        XCTAssertEqual(t.run(#"print(r.scores["spins"]!, r.scores["tag_presence"]!)"#).stdout, "[nil] [Optional(0.5)]\n")
        XCTAssertTrue(t.run("print(r)").stdout.contains("over its budget"))
        XCTAssertEqual(t.run("var n = 0; for i in 0..<100000 { n += i }; print(n)").stdout, "4999950000\n", "no stray interrupt is left behind")
    }

    func testPreludeMembersCompleteAndInspect() {
        let session = Session(output: MemorySink())
        _ = session.execute(#"let data = Dataset([["a": 1]]); let tags = Reward.tagPresence()"#)
        XCTAssertTrue(session.complete("data.fil", cursor: 8).matches.contains("filter"))
        XCTAssertTrue(session.complete("tags.ch", cursor: 7).matches.contains("check"))
        XCTAssertTrue(session.complete("Reward.com", cursor: 10).matches.contains("combined"))
        XCTAssertTrue(session.complete("Mod", cursor: 3).matches.contains("Model"))
        let doc = session.inspect("Reward.report", cursor: 13)?.plainText ?? ""
        XCTAssertTrue(doc.contains("fault") || doc.contains("Every reward"), doc)
    }

    func testInterruptingACellRewardStopsTheReport() {
        let t = TestSession()
        t.run("var before = 1")
        t.run("func spins(completions: [String]) -> [Double?] { while true {} }")
        let (outcome, latency) = t.runInterrupted(#"let r = Reward.report([Reward(spins), Reward.tagPresence()], completions: ["a"])"#, after: 0.3)
        XCTAssertEqual(outcome.error?.name, "InterruptError", "\(String(describing: outcome.error))")
        XCTAssertLessThan(latency, 2)
        XCTAssertEqual(t.run("print(before)").stdout, "1\n")
    }
}

private extension Result where Success == MIMEBundle?, Failure == CellError {
    var error: CellError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
