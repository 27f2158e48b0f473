import GRPO
import XCTest

/// Paired bootstrap intervals and the sign-flip permutation test, against values worked out by hand.
final class EvaluationStatisticsTests: XCTestCase {
    func testExactPermutationPValueByHand() {
        // Differences 1, 2, 3: of the 8 sign patterns only +++ and −−− reach |6|, so p = 2/8.
        let comparison = PairedComparison(metric: "m", model: "b", baseline: "a", values: [2, 3, 4], baselineValues: [1, 1, 1])
        XCTAssertEqual(comparison.pairs, 3)
        XCTAssertEqual(comparison.meanDifference, 2, accuracy: 1e-12)
        XCTAssertEqual(comparison.pValue ?? -1, 0.25, accuracy: 1e-12)
        // Differences 1, −1: every pattern has |sum| ≥ 0, so p = 1.
        let even = PairedComparison(metric: "m", model: "b", baseline: "a", values: [2, 1], baselineValues: [1, 2])
        XCTAssertEqual(even.pValue ?? -1, 1, accuracy: 1e-12)
    }

    func testMissingValuesAreLeftOutOfThePairs() {
        let comparison = PairedComparison(metric: "m", model: "b", baseline: "a", values: [5, nil, 4, 3],
                                          baselineValues: [4, 1, nil, 3])
        XCTAssertEqual(comparison.pairs, 2)
        XCTAssertEqual(comparison.meanDifference, 0.5, accuracy: 1e-12)
        let none = PairedComparison(metric: "m", model: "b", baseline: "a", values: [nil], baselineValues: [1])
        XCTAssertEqual(none.pairs, 0)
        XCTAssertNil(none.pValue)
        XCTAssertNil(none.confidenceInterval)
    }

    func testBootstrapIntervalIsSeededAndHoldsTheMean() throws {
        let values: [Double?] = (0..<30).map { Double($0 % 5) + 1 }
        let baseline: [Double?] = (0..<30).map { Double(($0 * 7) % 5) + 1 }
        let first = PairedComparison(metric: "m", model: "b", baseline: "a", values: values, baselineValues: baseline, seed: 3)
        let again = PairedComparison(metric: "m", model: "b", baseline: "a", values: values, baselineValues: baseline, seed: 3)
        XCTAssertEqual(first, again)
        let interval = try XCTUnwrap(first.confidenceInterval)
        XCTAssertTrue(interval.contains(first.meanDifference))
        XCTAssertLessThan(interval.upperBound - interval.lowerBound, 2)
        // A constant difference has no spread: the interval is that difference.
        let shifted = PairedComparison(metric: "m", model: "b", baseline: "a", values: values.map { $0.map { $0 + 1 } },
                                       baselineValues: values)
        XCTAssertEqual(shifted.confidenceInterval?.lowerBound ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(shifted.confidenceInterval?.upperBound ?? 0, 1, accuracy: 1e-12)
        // 30 positive differences: the Monte Carlo p-value is at its floor 1/20001.
        XCTAssertEqual(shifted.pValue ?? 1, 1.0 / 20_001, accuracy: 1e-12)
    }
}
