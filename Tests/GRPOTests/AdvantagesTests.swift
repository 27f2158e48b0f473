import Foundation
import GRPO
import XCTest

/// `Advantages.compute` beyond the fixture's combinations, with numbers worked out by hand.
final class AdvantagesTests: XCTestCase {
    func testGroupScalingUsesBesselStdPlusEpsilonAndSkipsUnscorableRows() throws {
        // Group 0: 1, 3, unscorable → mean 2, std √2; group 1: all equal → std 0, advantages 0.
        let result = try Advantages.compute(rewardsPerFunction: [[1], [3], [nil], [2], [2], [2]], weights: [1],
                                            groupSize: 3, scaling: .group, aggregation: .sumThenNormalize)
        let scale = 2.0.squareRoot() + 1e-4
        XCTAssertEqual(result.advantages[0], -1 / scale, accuracy: 1e-12)
        XCTAssertEqual(result.advantages[1], 1 / scale, accuracy: 1e-12)
        XCTAssertEqual(result.advantages[2], 0)
        XCTAssertTrue(result.rewards[2].isNaN)
        XCTAssertEqual(Array(result.advantages[3...]), [0, 0, 0])
        XCTAssertEqual(result.isStdZero, [false, false, false, true, true, true])
        XCTAssertEqual(result.fracRewardZeroStd, 0.5)
    }

    func testBatchScalingKeepsTheGroupMeanAndUsesTheGlobalStd() throws {
        let rewards: [[Double?]] = [[0], [2], [10], [14]]
        let result = try Advantages.compute(rewardsPerFunction: rewards, weights: [1], groupSize: 2,
                                            scaling: .batch, aggregation: .sumThenNormalize)
        // Global mean 6.5, Bessel variance (42.25 + 20.25 + 12.25 + 56.25) / 3 = 43.666….
        let globalStd = (131.0 / 3).squareRoot()
        XCTAssertEqual(result.advantages[0], -1 / (globalStd + 1e-4), accuracy: 1e-12)
        XCTAssertEqual(result.advantages[3], 2 / (globalStd + 1e-4), accuracy: 1e-12)
        XCTAssertEqual(result.std, Array(repeating: globalStd, count: 4))
        let unscaled = try Advantages.compute(rewardsPerFunction: rewards, weights: [1], groupSize: 2,
                                              scaling: .none, aggregation: .sumThenNormalize)
        XCTAssertEqual(unscaled.advantages, [-1, 1, -2, 2])
        XCTAssertEqual(unscaled.std[0], 2.0.squareRoot(), accuracy: 1e-12)
    }

    func testWeightsMultiplyAndNilFunctionsAreSkipped() throws {
        let result = try Advantages.compute(rewardsPerFunction: [[1, nil], [0, 1], [nil, nil], [1, 1]],
                                            weights: [2, 0.5], groupSize: 4, scaling: .none, aggregation: .sumThenNormalize)
        XCTAssertEqual(result.rewards[0], 2)
        XCTAssertEqual(result.rewards[1], 0.5)
        XCTAssertTrue(result.rewards[2].isNaN)
        XCTAssertEqual(result.rewards[3], 2.5)
        XCTAssertEqual(result.advantages[1], 0.5 - 5.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(result.advantages[2], 0)
    }

    func testGDPONormalisesEachFunctionPerGroupThenTheSumOverTheBatch() throws {
        let rewards: [[Double?]] = [[1, 0], [0, 0], [1, 0], [0, 1]]
        let gdpo = try Advantages.compute(rewardsPerFunction: rewards, weights: [1, 1], groupSize: 2,
                                          scaling: .batch, aggregation: .normalizeThenSum)
        // Each pair {1, 0} has mean 0.5 and Bessel std √0.5, so z = ±0.5 / (√0.5 + 1e-4);
        // function 2 is constant in group 0 (z = 0) and opposite to function 1 in group 1.
        let z = 0.5 / (0.5.squareRoot() + 1e-4)
        XCTAssertEqual(gdpo.rewards[0], z, accuracy: 1e-12)
        XCTAssertEqual(gdpo.rewards[1], -z, accuracy: 1e-12)
        XCTAssertEqual(gdpo.rewards[2], z - z, accuracy: 1e-12)
        XCTAssertEqual(gdpo.rewards[3], -z + z, accuracy: 1e-12)
        let std = (2 * z * z / 3).squareRoot()
        XCTAssertEqual(gdpo.advantages[0], z / (std + 1e-4), accuracy: 1e-12)
        XCTAssertEqual(gdpo.std[3], std, accuracy: 1e-12)
        // TRL ignores scale_rewards for GDPO.
        for scaling in [RewardScaling.group, .none] {
            let other = try Advantages.compute(rewardsPerFunction: rewards, weights: [1, 1], groupSize: 2,
                                               scaling: scaling, aggregation: .normalizeThenSum)
            XCTAssertEqual(other.advantages, gdpo.advantages)
        }
    }

    func testGroupOfOneHasZeroStdAndZeroAdvantage() throws {
        let result = try Advantages.compute(rewardsPerFunction: [[1], [5]], weights: [1], groupSize: 1,
                                            scaling: .group, aggregation: .sumThenNormalize)
        XCTAssertEqual(result.advantages, [0, 0])
        XCTAssertEqual(result.isStdZero, [true, true])
    }

    func testInvalidInputThrowsTypedErrors() {
        XCTAssertThrowsError(try Advantages.compute(rewardsPerFunction: [[1], [2], [3]], weights: [1], groupSize: 2,
                                                    scaling: .group, aggregation: .sumThenNormalize)) { error in
            XCTAssertEqual(error as? GRPOLossError, .groupSizeDoesNotDivide(completions: 3, groupSize: 2))
            XCTAssertTrue("\(error)".contains("groups of 2"))
        }
        XCTAssertThrowsError(try Advantages.compute(rewardsPerFunction: [[1, 2], [2]], weights: [1, 1], groupSize: 2,
                                                    scaling: .group, aggregation: .sumThenNormalize)) { error in
            XCTAssertEqual(error as? GRPOLossError, .rewardRowWidth(row: 1, count: 1, expected: 2))
        }
        XCTAssertThrowsError(try Advantages.compute(rewardsPerFunction: [], weights: [1], groupSize: 2,
                                                    scaling: .group, aggregation: .sumThenNormalize))
    }
}
