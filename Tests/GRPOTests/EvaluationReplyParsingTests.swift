import GRPO
import XCTest

/// Free-text judge replies as models write them.
final class EvaluationReplyParsingTests: XCTestCase {
    private func scores(_ reply: String) -> [String: Double] { JudgeReplyParser.parse(reply).scores }

    func testTheRequestedFormat() {
        let parsed = JudgeReplyParser.parse("""
            Medical accuracy: 4
            Reasoning quality: 3
            Format adherence: 5
            Fluency and clarity: 4
            Overall usefulness: 2
            Overall score: 3.6
            Explanation: The diagnosis is right. The reasoning skips the lab values.
            """)
        XCTAssertEqual(parsed.scores, ["medical_accuracy": 4, "reasoning_quality": 3, "format_adherence": 5,
                                       "fluency_and_clarity": 4, "overall_usefulness": 2])
        XCTAssertEqual(parsed.explanation, "The diagnosis is right. The reasoning skips the lab values.")
        XCTAssertEqual(JudgeVerdict(scores: parsed.scores).overall ?? 0, 3.6, accuracy: 1e-12)
    }

    func testCaseSpacingMarkdownAndFractions() {
        let reply = """
            ## Scores
            **MEDICAL ACCURACY**:   4/5
            - *Reasoning Quality* - 3 out of 5
            ### format_adherence = (5)
            | Fluency & Clarity | 4.5 |
            `Overall Usefulness`:2/5

            **Explanation:** Mostly right.
            """
        XCTAssertEqual(scores(reply), ["medical_accuracy": 4, "reasoning_quality": 3, "format_adherence": 5,
                                       "fluency_and_clarity": 4.5, "overall_usefulness": 2])
        XCTAssertEqual(JudgeReplyParser.parse(reply).explanation, "Mostly right.")
    }

    func testJSONReplies() {
        let reply = #"{"medical_accuracy": 2, "reasoning_quality": 1, "format_adherence": 5, "fluency_and_clarity": 3, "overall_usefulness": 2, "explanation": "x"}"#
        XCTAssertEqual(scores(reply), ["medical_accuracy": 2, "reasoning_quality": 1, "format_adherence": 5,
                                       "fluency_and_clarity": 3, "overall_usefulness": 2])
    }

    func testJSONObjectRepliesAndFences() {
        let parsed = JudgeReplyParser.parse("""
            ```json
            {"Medical Accuracy": "4/5", "reasoning_quality": 3, "format_adherence": 5.0, "fluency_and_clarity": 9,
             "overall_usefulness": 2, "explanation": "Correct drug, no dose."}
            ```
            """)
        XCTAssertEqual(parsed.scores, ["medical_accuracy": 4, "reasoning_quality": 3, "format_adherence": 5, "overall_usefulness": 2])
        XCTAssertEqual(parsed.explanation, "Correct drug, no dose.")
    }

    func testOutOfRangeAndOtherScalesAreMissingNotZero() {
        let parsed = scores("""
            Medical accuracy: 0
            Reasoning quality: 8/10
            Format adherence: 7
            Fluency and clarity: good
            Overall usefulness: 4/10
            """)
        XCTAssertEqual(parsed, [:])
        XCTAssertFalse(JudgeVerdict(scores: parsed).isComplete)
        XCTAssertNil(JudgeVerdict(scores: parsed).overall)
    }

    func testPartialRepliesKeepWhatIsThere() {
        let parsed = scores("Accuracy: 3. Reasoning: 4. The answer has no <reasoning> tags.")
        XCTAssertEqual(parsed, ["medical_accuracy": 3, "reasoning_quality": 4])
        XCTAssertNil(JudgeVerdict(scores: parsed).overall)
    }

    func testTagsAreNotLabels() {
        XCTAssertEqual(scores("<reasoning> 3 </reasoning>"), [:])
        XCTAssertEqual(scores("The answer gave 4 reasons"), [:])
    }

    func testExplanationWithoutALabelIsTheTextBesideTheScores() {
        let parsed = JudgeReplyParser.parse("Medical accuracy: 4\nThe answer is correct but terse.")
        XCTAssertEqual(parsed.explanation, "The answer is correct but terse.")
    }
}
