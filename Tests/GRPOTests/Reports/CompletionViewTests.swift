import Foundation
import GRPO
import XCTest

/// The completion view: hostile text stays text, best and worst are marked, zero-variance
/// groups are flagged, and tokens are shaded by the sign and size of their weights.
final class CompletionViewTests: XCTestCase {
    func testHostileTextIsEscapedEverywhere() throws {
        let hostile = "<script>alert('x')</script> & \"quoted\" <img src=x onerror=alert(1)>"
        var samples = try ReportTestSupport.group(row: 0, rewards: [1, 0], completions: [hostile, "fine"])
        samples[0].prompt = "<|im_start|>user\n<b>bold</b> question<|im_end|>"
        let html = CompletionView.html(samples: samples, rewardNames: ["<i>reward</i>"])
        let document = try ReportTestSupport.parseXML(html)
        XCTAssertEqual(document.count("script") + document.count("img") + document.count("i") + document.count("b"), 0)
        XCTAssertTrue(document.text.contains(hostile), "the text reads as written")
        XCTAssertTrue(document.text.contains("<i>reward</i>"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(document.elements.contains { $0.attributes.keys.contains("onerror") })
    }

    func testBestAndWorstAreMarkedAndAdvantagesSigned() throws {
        let samples = try ReportTestSupport.group(row: 3, rewards: [0.5, 2, 0, 2])
        let groups = CompletionGroup.groups(of: samples)
        XCTAssertEqual(groups.count, 1)
        XCTAssertEqual((0..<4).map(groups[0].isBest), [false, true, false, true], "ties for best are both best")
        XCTAssertEqual((0..<4).map(groups[0].isWorst), [false, false, true, false])

        let html = CompletionView.html(samples: samples, rewardNames: ["answer"])
        XCTAssertEqual(html.components(separatedBy: ">best</span>").count - 1, 2)
        XCTAssertEqual(html.components(separatedBy: ">worst</span>").count - 1, 1)
        let text = CompletionView.text(samples: samples, rewardNames: ["answer"])
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("   #") }
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[1].hasPrefix("   #2 best   reward     2  adv  +0.849  answer     2     3 tok        | Answer 1: 2.0"), String(lines[1]))
        XCTAssertTrue(lines[2].hasPrefix("   #3 worst  reward     0  adv  -1.091  answer     0     3 tok"), String(lines[2]))
    }

    func testZeroVarianceGroupsAreFlaggedWithoutBestOrWorst() throws {
        let samples = try ReportTestSupport.group(row: 0, rewards: [1, 1, 1]) + ReportTestSupport.group(row: 1, rewards: [0, 1, 0])
        let groups = CompletionGroup.groups(of: samples)
        XCTAssertEqual(groups.map(\.hasZeroVariance), [true, false])
        XCTAssertFalse((0..<3).contains { groups[0].isBest($0) || groups[0].isWorst($0) })
        let html = CompletionView.html(samples: samples, rewardNames: ["answer"])
        XCTAssertEqual(html.components(separatedBy: "zero variance: every completion scored 1").count - 1, 1)
        XCTAssertTrue(html.contains("1 of 2 with zero reward variance"))
        XCTAssertTrue(CompletionView.text(samples: samples, rewardNames: ["answer"]).contains("  ! zero variance"))
    }

    func testTheSamePromptTwiceInABatchIsSplitByGroupSize() throws {
        let samples = try ReportTestSupport.group(row: 5, rewards: [1, 0]) + ReportTestSupport.group(row: 5, rewards: [1, 1])
        XCTAssertEqual(CompletionGroup.groups(of: samples).count, 1)
        XCTAssertEqual(CompletionGroup.groups(of: samples, groupSize: 2).map(\.sampleIndices), [[0, 1], [2, 3]])
    }

    func testTokensAreShadedBySignAndSizeOfTheirWeights() throws {
        let texts = [10: "The", 11: " answer", 12: " is", 13: " <42>"]
        let samples = [
            try ReportTestSupport.sample(row: 0, completion: "The answer is <42>", tokens: [10, 11, 12, 13], rewards: [1], reward: 1, advantage: 0.7),
            try ReportTestSupport.sample(row: 0, completion: "The", tokens: [10], rewards: [0], reward: 0, advantage: -0.7),
        ]
        let weights: [[Double]] = [[0.7, 0.35, 0, .nan], [-1.4]]
        let html = CompletionView.html(samples: samples, rewardNames: ["answer"], tokenTexts: { texts[$0] ?? "?" }, tokenWeights: weights)
        let document = try ReportTestSupport.parseXML(html)
        let tokens = document.elements.filter { $0.name == "span" && ($0.attributes["title"] ?? "").hasPrefix("token ") }
        XCTAssertEqual(tokens.map { $0.attributes["title"] ?? "" }, ["token 1: +0.7", "token 2: +0.35", "token 3: +0", "token 1: -1.4"],
                       "a NaN weight leaves its token plain")
        let styles = tokens.map { $0.attributes["style"] ?? "" }
        XCTAssertTrue(styles[0].contains("rgba(34,160,60,0.40)"), styles[0])  // 0.1 + 0.6 × 0.7/1.4
        XCTAssertTrue(styles[1].contains("rgba(34,160,60,0.25)"), styles[1])
        XCTAssertTrue(styles[2].contains(",0.00)"), styles[2])
        XCTAssertTrue(styles[3].contains("rgba(215,48,39,0.70)"), "the largest |weight| gets the strongest shade: \(styles[3])")
        XCTAssertTrue(document.text.contains(" <42>"), "token text is escaped, not markup")
    }

    func testPromptPreviewDropsChatMarkersAndRoleNamesAndKeepsTheEnd() throws {
        let chat = "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nWhat is the anion gap?<|im_end|>\n<|im_start|>assistant\n"
        let samples = try [ReportTestSupport.sample(row: 0, prompt: chat, completion: "12", rewards: [1], reward: 1, advantage: 0)]
        XCTAssertTrue(CompletionView.text(samples: samples, rewardNames: []).contains("prompt: You are helpful. What is the anion gap?\n"))
        let long = String(repeating: "background ", count: 40) + "so what is the dose?"
        let preview = try ReportTestSupport.parseXML(CompletionView.html(samples: [ReportTestSupport.sample(
            row: 0, prompt: long, completion: "x", rewards: [1], reward: 1, advantage: 0)], rewardNames: []))
        XCTAssertTrue(preview.text.contains("…"), "a long prompt is cut at the front")
        XCTAssertTrue(preview.text.contains("background so what is the dose?"))
    }
}
