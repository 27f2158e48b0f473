import GRPO
import XCTest

/// The simulate() report: the forecast, the stage split and the flags a user should read before a long run.
final class SimulationReportTests: XCTestCase {
    private func summary() throws -> SimulationSummary {
        var samples = try ReportTestSupport.group(row: 0, rewards: [1, 0, 1, 0]) + ReportTestSupport.group(row: 1, rewards: [0, 0, 0, 0])
        for index in samples.indices {
            samples[index].rewards = [samples[index].rewards[0], 0.5, nil]  // a constant reward, and one that never scores
        }
        samples[1].finishReason = .maxNewTokens
        return SimulationSummary(stepsRun: 2, secondsPerStep: 12.25, plannedSteps: 200, peakMemoryBytes: 2.5 * 1024 * 1024 * 1024,
                                 tokensPerStep: 812.4, stageSeconds: ["rollout": 9, "forward_backward": 3, "rewards": 0.25],
                                 samples: samples, rewardNames: ["answer", "format", "judge"], groupSize: 4, maxCompletionLength: 128)
    }

    func testForecastAndFlags() throws {
        let summary = try summary()
        XCTAssertEqual(summary.forecastSeconds, 2450)
        XCTAssertEqual(summary.constantRewards.map(\.name), ["format", "judge"])
        XCTAssertEqual(summary.constantRewards.map(\.value), [0.5, nil])
        let text = SimulationReport.text(summary)
        for expected in ["time per step                12.2 s", "forecast for the run         40:50", "peak memory                  2.5 GiB",
                         "forecast completion tokens   162480", "groups with reward variance  1 of 2",
                         "per step: rollout 9.0 s, forward_backward 3.0 s, rewards 0.2 s",
                         "! 1 of 2 groups have zero reward variance", "! Reward \"format\" gave 0.5 to every completion",
                         "! Reward \"judge\" scored no completion"] {
            XCTAssertTrue(text.contains(expected), "missing \(expected) in\n\(text)")
        }
        XCTAssertFalse(text.contains("maxCompletionLength"), "1 of 8 cut is not most")
    }

    func testHTMLIsWellFormedAndIncludesTheGroups() throws {
        let html = SimulationReport.html(try summary())
        let document = try ReportTestSupport.parseXML(html)
        XCTAssertEqual(document.count("li"), 3)
        XCTAssertEqual(document.count("table"), 3, "the forecast and one table per group")
        XCTAssertTrue(document.text.contains("cut at limit"))
        XCTAssertTrue(document.text.contains("rollout 9.0 s (73%)"))
    }
}
