import Foundation
import GRPO
import XCTest

/// The SVG dashboard: well-formed, sized for crisp rendering, one line per series (plus a
/// smoothed one on long runs), and robust to empty, single, constant, non-finite and huge data.
final class TrainingChartsTests: XCTestCase {
    private let panels = 6

    func testSVGOfALongRunIsWellFormedSizedAndDrawsRawAndSmoothedLinesPerSeries() throws {
        let metrics = ReportTestSupport.healthyRun(steps: 120)
        let svg = TrainingCharts.svg(metrics: metrics, rewardNames: ["format", "answer"])
        let document = try ReportTestSupport.parseXML(svg)
        let root = try XCTUnwrap(document.elements.first)
        XCTAssertEqual(root.name, "svg")
        XCTAssertEqual(root.attributes["xmlns"], "http://www.w3.org/2000/svg")
        let width = try XCTUnwrap(root.attributes["width"]), height = try XCTUnwrap(root.attributes["height"])
        XCTAssertEqual(root.attributes["viewBox"], "0 0 \(width) \(height)")
        // Series: reward (mean + 2), kl, length (mean, min, max), loss, grad norm, fractions (2) = 11,
        // each a faint raw line and a smoothed line at 120 points.
        XCTAssertEqual(document.count("polyline"), 22)
        XCTAssertEqual(document.count("circle"), 0, "no dots on 120 points")
        for title in ["reward", "KL to the reference", "completion length (tokens)", "loss", "grad norm (before clipping)"] {
            XCTAssertTrue(document.text.contains(title), title)
        }
        for legend in ["mean", "format", "answer", "frac_reward_zero_std", "clipped_ratio"] {
            XCTAssertTrue(document.text.contains(legend), legend)
        }
        for element in document.elements where element.name == "polyline" {
            let numbers = (element.attributes["points"] ?? "").split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
            XCTAssertEqual(numbers.count, 240)
            XCTAssertTrue(numbers.allSatisfy { $0 >= 0 && $0 <= Double(width) ?? 0 })
        }
    }

    func testShortRunsDrawOneLineWithDotsAndASinglePointAsADot() throws {
        let five = try ReportTestSupport.parseXML(TrainingCharts.svg(metrics: ReportTestSupport.healthyRun(steps: 5), rewardNames: ["format"]))
        XCTAssertEqual(five.count("polyline"), 10, "one line per series, no smoothing under 11 points")
        XCTAssertEqual(five.count("circle"), 50)
        let one = try ReportTestSupport.parseXML(TrainingCharts.svg(metrics: ReportTestSupport.healthyRun(steps: 1), rewardNames: ["format"]))
        XCTAssertEqual(one.count("polyline"), 0)
        XCTAssertEqual(one.count("circle"), 10)
    }

    func testNoMetricsGiveEmptyPanelsThatSaySo() throws {
        let document = try ReportTestSupport.parseXML(TrainingCharts.svg(metrics: [], rewardNames: []))
        XCTAssertEqual(document.count("polyline") + document.count("circle"), 0)
        XCTAssertEqual(document.text.components(separatedBy: "no data yet").count - 1, panels)
        XCTAssertEqual(TrainingCharts.text(metrics: []), "No steps logged yet.")
    }

    func testNonFiniteValuesAreSkippedAndKLWithoutBetaIsExplained() throws {
        let values: [Double] = [0.5, .nan, 0.7, .infinity, 0.9, -.infinity]
        let metrics = values.enumerated().map { StepMetrics(step: $0.offset + 1, epoch: 0, values: ["loss": $0.element, "reward": 1]) }
        let document = try ReportTestSupport.parseXML(TrainingCharts.svg(metrics: metrics))
        let loss = try XCTUnwrap(document.elements.filter { $0.name == "polyline" }.first { element in
            (element.attributes["points"] ?? "").split(separator: " ").count == 3
        }, "the loss line keeps its 3 finite points")
        XCTAssertFalse(loss.attributes["points"]?.contains("nan") ?? true)
        XCTAssertTrue(document.text.contains("not computed (beta is 0)"))
    }

    func testConstantAndHugeSeriesGetReadableTicks() throws {
        let constant = (1...4).map { StepMetrics(step: $0, epoch: 0, values: ["reward": 1]) }
        let flat = try ReportTestSupport.parseXML(TrainingCharts.svg(metrics: constant))
        XCTAssertTrue(flat.text.contains("1.00") || flat.text.contains("1.0"), "a constant series still gets ticks around its value")
        let huge = [1e-3, 5e11, 2.5e12, 1e300].enumerated().map {
            StepMetrics(step: $0.offset + 1, epoch: 0, values: ["grad_norm": $0.element])
        }
        let wide = try ReportTestSupport.parseXML(TrainingCharts.svg(metrics: huge))
        XCTAssertTrue(wide.text.contains("e300"), "huge values are labelled with exponents: \(wide.text)")
        let line = try XCTUnwrap(wide.elements.first { $0.name == "polyline" })
        XCTAssertEqual(line.attributes["points"]?.split(separator: " ").count, 4)
    }

    func testTextFormShowsTheLastStepsAsAnAlignedTable() {
        let table = TrainingCharts.text(metrics: ReportTestSupport.healthyRun(steps: 30), rewardNames: ["format"], lastSteps: 5)
        let lines = table.split(separator: "\n")
        XCTAssertEqual(lines.count, 7)
        XCTAssertEqual(lines[0], "(last 5 of 30 logged steps)")
        XCTAssertTrue(lines[1].hasPrefix("step  reward"), String(lines[1]))
        XCTAssertTrue(lines[1].contains("format"))
        XCTAssertTrue(lines[6].hasPrefix("  30"), String(lines[6]))
        XCTAssertEqual(Set(lines.dropFirst().map(\.count)).count, 1, "columns are aligned")
    }

    func testLongRunsAreThinnedButKeepTheirSpikes() throws {
        let metrics = (1...5000).map { step in
            StepMetrics(step: step, epoch: 0, values: ["grad_norm": step == 2777 ? 100 : 1 + Double(step % 10) / 100])
        }
        let svg = TrainingCharts.svg(metrics: metrics)
        XCTAssertLessThan(svg.utf8.count, 60_000, "a redrawn chart stays small")
        let document = try ReportTestSupport.parseXML(svg)
        let lines = document.elements.filter { $0.name == "polyline" }
        XCTAssertEqual(lines.count, 2)
        let raw = try XCTUnwrap(lines.first { $0.attributes["stroke-opacity"] != nil })
        let ys = (raw.attributes["points"] ?? "").split(separator: " ").compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        XCTAssertLessThanOrEqual(ys.count, 402)
        XCTAssertGreaterThan(ys.count, 300)
        let top = try XCTUnwrap(ys.min()), bottom = try XCTUnwrap(ys.max())
        XCTAssertGreaterThan(bottom - top, 100, "the spike at step 2777 is still drawn")
    }
}
