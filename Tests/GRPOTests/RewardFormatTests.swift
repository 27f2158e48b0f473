import GRPO
import XCTest

/// Format rewards and text helpers on hand-computed cases.
final class RewardFormatTests: XCTestCase {
    let perfect = "<reasoning>\nR\n</reasoning>\n<answer>\n42\n</answer>\n"

    func scores(_ reward: Reward, _ completions: [String], columns: [String: [DatasetValue]] = [:]) throws -> [Double?] {
        try reward.score(RewardBatch(completions: completions, columns: columns))
    }

    func testTagPresenceCountsTheFourTags() throws {
        XCTAssertEqual(try scores(.tagPresence(), [perfect, "<reasoning>a</reasoning>", "<answer>x", "", "no tags"]),
                       [1.0, 0.5, 0.25, 0.0, 0.0])
    }

    func testStrictFormat() throws {
        let multiLine = "<reasoning>\nline 1\nline 2\n</reasoning>\n<answer>\n42\n</answer>\n"
        let noFinalNewline = "<reasoning>\nR\n</reasoning>\n<answer>\n42\n</answer>"
        let preamble = "Sure!\n" + perfect
        let oneLine = "<reasoning>R</reasoning><answer>42</answer>"
        XCTAssertEqual(try scores(.strictFormat(), [perfect, multiLine, noFinalNewline, preamble, oneLine]),
                       [0.5, 0.5, 0.0, 0.0, 0.0])
        XCTAssertEqual(try scores(.strictFormat(score: 1.0), [perfect]), [1.0])
    }

    func testSoftFormat() throws {
        let spaced = "<reasoning>a\nb</reasoning>  \n <answer>y</answer> trailing"
        XCTAssertEqual(try scores(.softFormat(), [perfect, spaced, "<answer>y</answer>", "Sure <reasoning>a</reasoning><answer>y</answer>",
                                                  "<reasoning>a</reasoning> text <answer>y</answer>"]),
                       [0.5, 0.5, 0.0, 0.0, 0.0])
    }

    func testXMLCountAsInTheGuide() throws {
        // Perfect layout: four tags once each, nothing after "\n</answer>\n" (−0) and "\n" after
        // "\n</answer>" (−(1 − 1)·0.001 = 0): 4 × 0.125 = 0.5.
        // Trailing "abc": −3·0.001 for the third tag, −(len("\nabc") − 1)·0.001 = −0.003 for the fourth: 0.494.
        // No final newline: "\n</answer>\n" never occurs, so the third tag charges the whole
        // text (12 + 1 + 14 + 9 + 2 + 10 = 48 scalars, −0.048) and the fourth earns −(0 − 1)·0.001:
        // 0.5 − 0.048 + 0.001 = 0.453.
        // Only "<reasoning>\n": 0.125. Two "<reasoning>\n": the first tag does not count.
        let values = try scores(.xmlCount(), [perfect, perfect + "abc", String(perfect.dropLast()),
                                              "<reasoning>\nthinking", "<reasoning>\n<reasoning>\n"])
        let expected = [0.5, 0.494, 0.453, 0.125, 0.0]
        for (value, want) in zip(values, expected) { XCTAssertEqual(value ?? .nan, want, accuracy: 1e-12) }
    }

    func testOccurrencesAndSplitMatchPython() {
        XCTAssertEqual(RewardText.occurrences(of: "aa", in: "aaaa"), 2)
        XCTAssertEqual(RewardText.occurrences(of: "\n</answer>", in: "x\n</answer>\n</answer>"), 2)
        XCTAssertEqual(RewardText.occurrences(of: "", in: "abc"), 0)
        XCTAssertEqual(RewardText.textAfterLast("|", in: "a|b|c"), "c")
        XCTAssertEqual(RewardText.textAfterLast("|", in: "abc"), "abc")
        XCTAssertEqual(RewardText.length("é\r\n"), 3)
    }

    func testAnswerExtraction() {
        XCTAssertEqual(RewardText.extractAnswer(perfect), "42")
        XCTAssertEqual(RewardText.extractAnswer("<answer>a</answer> then <answer> b </answer>"), "b")
        XCTAssertEqual(RewardText.extractAnswer("<answer> unterminated"), "unterminated")
        XCTAssertEqual(RewardText.extractAnswer("  just text \n"), "just text")
        XCTAssertNil(RewardText.answerTag(in: "just text"))
        XCTAssertEqual(RewardText.answerTag(in: perfect), "42")
        XCTAssertEqual(RewardText.reasoning(in: perfect), "R")
        XCTAssertNil(RewardText.reasoning(in: "<reasoning> open only"))
    }

    func testFirstNumber() {
        XCTAssertEqual(RewardText.firstNumber(in: "about -1,234.5e-3 mg"), -1.2345)
        XCTAssertEqual(RewardText.firstNumber(in: "approx .5"), 0.5)
        XCTAssertEqual(RewardText.firstNumber(in: "BMI 24.7 kg/m2"), 24.7)
        XCTAssertEqual(RewardText.firstNumber(in: "\u{2212}3 units"), -3)
        XCTAssertNil(RewardText.firstNumber(in: "none"))
        XCTAssertTrue(RewardText.isInteger(" -17 "))
        XCTAssertFalse(RewardText.isInteger("4.2"))
        XCTAssertFalse(RewardText.isInteger("-"))
    }

    func testOverlongPenalty() throws {
        // max 10, cache 4: up to 6 tokens free; 7 → (6 − 7)/4 = −0.25; 9 → −0.75; 10 → −1; 11 → −1.
        let reward = Reward.overlongPenalty(maxCompletionLength: 10, softCacheLength: 4)
        let ids = [5, 6, 7, 9, 10, 11].map { Array(repeating: 1, count: $0) }
        let batch = try RewardBatch(completions: ids.map { _ in "x" }, completionIDs: ids)
        XCTAssertEqual(try reward.score(batch), [0, 0, -0.25, -0.75, -1, -1])

        let byWords = Reward.lengthPenalty(maxCompletionLength: 4, softCacheLength: 2,
                                           tokenCount: { $0.split(separator: " ").count })
        XCTAssertEqual(try scores(byWords, ["a b", "a b c", "a b c d e"]), [0, -0.5, -1])
        XCTAssertThrowsError(try scores(.overlongPenalty(maxCompletionLength: 4, softCacheLength: 2), ["a"]))
        XCTAssertThrowsError(try scores(.overlongPenalty(maxCompletionLength: 4, softCacheLength: 5,
                                                         tokenCount: { _ in 1 }), ["a"]))
    }

    func testBatchChecksAlignmentAndColumns() throws {
        XCTAssertThrowsError(try RewardBatch(prompts: ["p"], completions: ["a", "b"]))
        XCTAssertThrowsError(try RewardBatch(completions: ["a"], columns: ["answer": ["x", "y"]]))
        let batch = try RewardBatch(completions: ["a", "b"], rows: [["answer": "x", "n": 3], ["answer": "y"]])
        XCTAssertEqual(batch.prompts, ["", ""])
        XCTAssertEqual(try batch.column("answer"), ["x", "y"])
        XCTAssertEqual(try batch.column("n"), ["3", ""])
        XCTAssertThrowsError(try batch.column("missing")) { error in
            XCTAssertTrue("\(error)".contains("\"missing\""))
        }
    }
}
