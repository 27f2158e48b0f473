import GRPO
import XCTest

/// The progress line's text and HTML forms.
final class ProgressLineTests: XCTestCase {
    func testTextShowsStepBarPercentTimesAndMetrics() {
        var line = ProgressLine(step: 12, totalSteps: 200, elapsedSeconds: 83,
                                metrics: StepMetrics(step: 12, epoch: 0.1, values: ["reward": 0.4109, "kl": 0.00312, "loss": 1]))
        line.barWidth = 10
        // 83 s for 12 steps → 6.917 s/step × 188 steps left = 1300 s = 21:40.
        XCTAssertEqual(line.text, "step 12/200 [░░░░░░░░░░] 6% 01:23<21:40 reward 0.411 kl 0.00312")
        line.step = 150
        XCTAssertEqual(line.text.prefix(30), "step 150/200 [███████░░░] 75% ")
    }

    func testUnknownTotalsAndResumedRunsAndLongRuns() {
        XCTAssertEqual(ProgressLine(step: 0, totalSteps: 10, elapsedSeconds: 0).text, "step 0/10 [░░░░░░░░░░░░░░░░░░░░░░░░] 0% 00:00<?")
        XCTAssertEqual(ProgressLine(step: 7, totalSteps: 0, elapsedSeconds: 5).text, "step 7 00:05")
        // Resumed at 100: 10 new steps in 60 s → 6 s/step × 90 left = 9:00.
        let resumed = ProgressLine(step: 110, totalSteps: 200, elapsedSeconds: 60, startStep: 100)
        XCTAssertEqual(resumed.remainingSeconds, 540)
        XCTAssertTrue(resumed.text.hasSuffix("01:00<09:00"), resumed.text)
        XCTAssertTrue(ProgressLine(step: 1, totalSteps: 1000, elapsedSeconds: 12).text.hasSuffix("00:12<3:19:48"))
        XCTAssertEqual(ProgressLine(step: 300, totalSteps: 200, elapsedSeconds: 1).fraction, 1)
    }

    func testHTMLIsOneWellFormedLineWithABarOfTheRightWidth() throws {
        let line = ProgressLine(step: 50, totalSteps: 200, elapsedSeconds: 100, metrics: StepMetrics(step: 50, epoch: 0, values: ["reward": 0.5]))
        let document = try ReportTestSupport.parseXML(line.html)
        XCTAssertTrue(document.elements.contains { ($0.attributes["style"] ?? "").contains("width:25.0%") })
        XCTAssertEqual(document.text, "step 50/20025%01:40<05:00reward 0.5")
    }
}
