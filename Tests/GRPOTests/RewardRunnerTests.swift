import Foundation
import GRPO
import XCTest

/// Fault isolation: a faulty reward turns its rows into nil, is counted, and never throws.
final class RewardRunnerTests: XCTestCase {
    struct Broken: Error, CustomStringConvertible {
        var description: String { "the judge is down" }
    }

    func batch(_ count: Int = 3) throws -> RewardBatch {
        try RewardBatch(completions: (0..<count).map { "completion \($0)" })
    }

    func testFaultsBecomeNilRowsAndAreCounted() throws {
        let good = Reward(name: "good") { batch in batch.completions.map { _ in 1.0 } }
        let throwing = Reward(name: "throwing") { _ in throw Broken() }
        let short = Reward(name: "short") { _ in [1.0] }
        let notANumber = Reward(name: "nan") { _ in [0.5, .nan, -.infinity] }
        let slow = Reward(name: "slow") { batch in
            Thread.sleep(forTimeInterval: 0.05)
            return batch.completions.map { _ in 1.0 }
        }
        let runner = RewardRunner([good, throwing, short, notANumber, slow])
        runner.timeBudgets["slow"] = 0.001

        let scores = runner.score(try batch())
        XCTAssertEqual(scores.names, ["good", "throwing", "short", "nan", "slow"])
        XCTAssertEqual(scores["good"], [1, 1, 1])
        XCTAssertEqual(scores["throwing"], [nil, nil, nil])
        XCTAssertEqual(scores["short"], [nil, nil, nil])
        XCTAssertEqual(scores["nan"], [0.5, nil, nil])
        XCTAssertEqual(scores["slow"], [nil, nil, nil])
        _ = runner.score(try batch())

        let stats = Dictionary(uniqueKeysWithValues: runner.statistics.map { ($0.name, $0) })
        XCTAssertEqual(stats["good"]?.calls, 2)
        XCTAssertEqual(stats["good"]?.errors, 0)
        XCTAssertNil(stats["good"]?.lastError)
        XCTAssertEqual(stats["throwing"]?.failedCalls, 2)
        XCTAssertEqual(stats["throwing"]?.faultedRows, 6)
        XCTAssertEqual(stats["throwing"]?.lastError, "the judge is down")
        XCTAssertEqual(stats["short"]?.errors, 2)
        XCTAssertTrue(stats["short"]?.lastError?.contains("returned 1 scores for 3 completions") ?? false)
        XCTAssertEqual(stats["nan"]?.nonFiniteScores, 4)
        XCTAssertEqual(stats["nan"]?.nonFiniteCalls, 2)
        XCTAssertEqual(stats["slow"]?.overBudgetCalls, 2)
        XCTAssertTrue(stats["slow"]?.lastError?.contains("budget") ?? false)
        XCTAssertGreaterThanOrEqual(stats["slow"]?.meanSecondsPerCall ?? 0, 0.05)
        XCTAssertTrue(runner.statisticsText.contains("the judge is down"))
        XCTAssertTrue(runner.statisticsHTML.contains("<table>"))

        runner.resetStatistics()
        XCTAssertEqual(runner.statistics.map(\.calls), [0, 0, 0, 0, 0])
    }

    func testGlobalBudgetAndNotApplicableRows() throws {
        let sometimes = Reward(name: "sometimes") { _ in [nil, 2.0, nil] }
        let runner = RewardRunner([sometimes], timeBudget: 10)
        XCTAssertEqual(runner.score(try batch()).scores, [[nil, 2.0, nil]])
        XCTAssertEqual(runner.statistics[0].nilScores, 2)
        XCTAssertEqual(runner.statistics[0].errors, 0)
    }

    func testWeightedSumIsNanSum() throws {
        let scores = RewardScores(names: ["a", "b"], scores: [[1.0, nil, nil], [2.0, 3.0, nil]])
        XCTAssertEqual(try scores.weightedSum(), [3.0, 3.0, nil])
        XCTAssertEqual(try scores.weightedSum(weights: [0.5, 2]), [4.5, 6.0, nil])
        XCTAssertThrowsError(try scores.weightedSum(weights: [1]))
    }
}
