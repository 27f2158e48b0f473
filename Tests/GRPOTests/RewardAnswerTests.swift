import GRPO
import XCTest

/// Correctness rewards and the combined reward on hand-computed cases.
final class RewardAnswerTests: XCTestCase {
    func scores(_ reward: any RewardFunction, _ completions: [String],
                columns: [String: [DatasetValue]] = [:]) throws -> [Double?] {
        try reward.score(RewardBatch(completions: completions, columns: columns))
    }

    func testExactAnswer() throws {
        let completions = ["<answer> Paris </answer>", "<answer>Lyon</answer>", "Paris", "<answer>x</answer>",
                           "<answer>42.0</answer>", "<answer>1,000</answer>", "<answer>new  york</answer>"]
        let answers: [DatasetValue] = ["paris", "Paris", "PARIS", .null, 42, 1000, "New York"]
        XCTAssertEqual(try scores(Reward.exactAnswer(), completions, columns: ["answer": answers]),
                       [1, 0, 1, nil, 1, 1, 1])
        XCTAssertEqual(try scores(Reward.exactAnswer(caseSensitive: true, score: 2), ["<answer>Paris</answer>", "<answer>paris</answer>"],
                                  columns: ["answer": ["Paris", "Paris"]]), [2, 0])
        XCTAssertEqual(try scores(Reward.exactAnswer(column: "Response"), ["a"], columns: ["Response": ["A"]]), [1])
        XCTAssertThrowsError(try scores(Reward.exactAnswer(), ["a"]))
    }

    func testIntAnswer() throws {
        XCTAssertEqual(try scores(Reward.intAnswer(), ["<answer>42</answer>", "<answer>-7</answer>", "<answer>4.2</answer>",
                                                       "<answer></answer>", "17", "<answer>42 mg</answer>"]),
                       [0.5, 0.5, 0, 0, 0.5, 0])
    }

    func testNumericTolerance() throws {
        let completions = ["<answer>BMI is 24.7 kg/m2</answer>", "<answer>24.7</answer>", "<answer>unknown</answer>",
                           "<answer>24.7</answer>", "<answer>101.5</answer>"]
        let answers: [DatasetValue] = [24.5, 25.3, 24.5, "n/a", 100]
        // |24.7 − 24.5| = 0.2 ≤ 0.5; |24.7 − 25.3| = 0.6 > 0.5; no number → 0; reference not a number → nil;
        // |101.5 − 100| = 1.5 > 0.5.
        XCTAssertEqual(try scores(Reward.numericTolerance(atol: 0.5), completions, columns: ["answer": answers]),
                       [1, 0, 0, nil, 0])
        // rtol 0.02 of 100 = 2: 101.5 passes, 103 fails.
        XCTAssertEqual(try scores(Reward.numericTolerance(atol: 0, rtol: 0.02), ["101.5", "<answer>103</answer>"],
                                  columns: ["answer": [100, "100"]]), [1, 0])
        // A per-row tolerance (MedCalc's absolute allowed error) replaces atol/rtol where present.
        XCTAssertEqual(try scores(Reward.numericTolerance(atol: 0.5), ["24.9", "24.9", "24.9"],
                                  columns: ["answer": [24, 24, 24], "tolerance": [1.0, .null, 0.5]]), [1, 0, 0])
        XCTAssertThrowsError(try scores(Reward.numericTolerance(atol: -1), ["1"], columns: ["answer": [1]]))
    }

    func testNumericToleranceOnMedCalcRows() throws {
        let rows = Dataset.medcalc(count: 12, seed: 7).rows
        let right = rows.map { "<answer>\($0["answer"].doubleValue ?? .nan)</answer>" }
        let wrong = rows.map { "<answer>\(($0["answer"].doubleValue ?? 0) + 2 * ($0["tolerance"].doubleValue ?? 0) + 1)</answer>" }
        let reward = Reward.numericTolerance()
        XCTAssertEqual(try reward.score(RewardBatch(completions: right, rows: rows)), rows.map { _ in 1.0 })
        XCTAssertEqual(try reward.score(RewardBatch(completions: wrong, rows: rows)), rows.map { _ in 0.0 })
    }

    func testCombinedFormulaByHand() throws {
        let semantic = Reward(name: "semantic_stub") { _ in [0.9, 0.2, nil, 0.7, 0.5, -1.0] }
        let perplexity = Reward(name: "perplexity_stub") { _ in [1.2, 0.8, nil, 3.0, nil, 0.5] }
        let completions = ["<reasoning>\nok\n</reasoning>\n<answer>\nx\n</answer>\n", "<answer>y</answer>", "   \n",
                           "plain text", "<reasoning>r</reasoning>", "<answer>z</answer>"]
        let parts: [(any RewardFunction, Double)] = [(semantic, 0.5), (perplexity, 0.4), (Reward.tagPresence(), 0.1)]
        // 0: 0.5·0.9 + 0.4·1.2 + 0.1·1.0 = 0.45 + 0.48 + 0.1 = 1.03
        // 1: 0.5·0.2 + 0.4·0.8 + 0.1·0.5 = 0.10 + 0.32 + 0.05 = 0.47
        // 2: empty (white space only) → −1.0
        // 3: 0.5·0.7 + 0.4·3.0 + 0.1·0 = 0.35 + 1.2 = 1.55
        // 4: 0.5·0.5 + (perplexity nil, adds 0) + 0.1·0.5 = 0.30
        // 5: 0.5·(−1.0) + 0.4·0.5 + 0.1·0.5 = −0.5 + 0.2 + 0.05 = −0.25
        let raw = try scores(Reward.combined(parts), completions)
        let clamped = try scores(Reward.combined(parts, clamp: -0.2...1), completions)
        let wantRaw = [1.03, 0.47, -1.0, 1.55, 0.30, -0.25]
        let wantClamped = [1.0, 0.47, -1.0, 1.0, 0.30, -0.2]
        for row in 0..<6 {
            XCTAssertEqual(raw[row] ?? .nan, wantRaw[row], accuracy: 1e-12, "row \(row)")
            XCTAssertEqual(clamped[row] ?? .nan, wantClamped[row], accuracy: 1e-12, "row \(row)")
        }
        XCTAssertEqual(Reward.combined(parts, clamp: -0.2...1).range, -1.0...1.0)
    }

    func testCombinedUnscorableRowsAndFaultyParts() throws {
        let sparse = Reward(name: "sparse") { batch in batch.completions.map { $0.contains("?") ? nil : 1.0 } }
        XCTAssertEqual(try scores(Reward.combined([(sparse, 2.0)]), ["fine", "what?", ""]), [2.0, -1.0, -1.0])
        XCTAssertEqual(try scores(Reward.combined([(sparse, 2.0)], invalidScore: -3), ["what?"]), [-3])
        let short = Reward(name: "short") { _ in [1.0] }
        XCTAssertThrowsError(try scores(Reward.combined([(short, 1.0)]), ["a", "b"])) { error in
            XCTAssertEqual(error as? RewardError, .wrongCount(reward: "short", expected: 2, got: 1))
        }
        // Unclamped range: 0.5·[−1, 1] + 0.1·[0, 1] = [−0.5, 0.6], widened to the invalid score −1.
        let range = Reward.combined([(Reward(name: "s", range: -1...1) { _ in [] }, 0.5), (Reward.tagPresence(), 0.1)]).range
        XCTAssertEqual(range.lowerBound, -1.0)
        XCTAssertEqual(range.upperBound, 0.6, accuracy: 1e-12)
    }
}
