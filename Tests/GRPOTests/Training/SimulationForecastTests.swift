import Foundation
import GRPO
import XCTest

/// The forecast simulate() prints: measured rates scaled to the configured batch and lengths.
final class SimulationForecastTests: XCTestCase {
    /// One simulated step of one prompt × 2 completions (3 prompt tokens each): one cut at the
    /// simulation's 10-token cap, one that ended at 6 tokens; every stage at 0.1 s per unit.
    private func simulated() throws -> SimulatedStep {
        let cut = try ReportTestSupport.sample(row: 0, completion: "cut", tokens: Array(repeating: 5, count: 10),
                                               rewards: [1], reward: 1, advantage: 0.7, finish: "maxNewTokens")
        let ended = try ReportTestSupport.sample(row: 0, completion: "ended", tokens: Array(repeating: 5, count: 6),
                                                 rewards: [0], reward: 0, advantage: -0.7)
        return SimulatedStep(completions: [cut, ended], metrics: [:],
                             timings: ["rollout": 1.6, "rewards": 0.2, "reference": 0.44, "forward_backward": 2.2],
                             seconds: 4.44, generatedTokens: 16, trainingTokens: 22)
    }

    func testRatesScaleToTheRunsBatchAndCutCompletionsCountAtTheRunsLimit() throws {
        var config = GRPOConfig(numGenerations: 2, maxCompletionLength: 100, perDeviceTrainBatchSize: 4,
                                gradientAccumulationSteps: 2)
        config.beta = 0.04
        let forecast = SimulationForecast(steps: [try simulated()], config: config, simulatedLimit: 10)
        // 8 completions generated and trained per step; expected length (100 + 6) / 2 = 53 tokens.
        XCTAssertEqual(forecast.expectedCompletionLength, 53)
        XCTAssertEqual(forecast.completionTokensPerStep, 424)
        XCTAssertEqual(forecast.stageSeconds["rollout"] ?? 0, 42.4, accuracy: 1e-9)           // 8 × 53 × 0.1
        XCTAssertEqual(forecast.stageSeconds["rewards"] ?? 0, 0.8, accuracy: 1e-9)            // 8 × 0.1
        XCTAssertEqual(forecast.stageSeconds["reference"] ?? 0, 8.96, accuracy: 1e-9)         // 8 × (3 + 53) × 0.02
        XCTAssertEqual(forecast.stageSeconds["forward_backward"] ?? 0, 44.8, accuracy: 1e-9)  // 8 × 56 × 0.1
        let expected: Double = 42.4 + 0.8 + 8.96 + 44.8
        XCTAssertEqual(forecast.secondsPerStep, expected, accuracy: 1e-9)
    }

    func testWithoutACapTheMeasuredLengthsAreUsed() throws {
        let config = GRPOConfig(numGenerations: 2, maxCompletionLength: 10, perDeviceTrainBatchSize: 2)
        let forecast = SimulationForecast(steps: [try simulated()], config: config, simulatedLimit: 10)
        XCTAssertEqual(forecast.expectedCompletionLength, 8)
        XCTAssertEqual(forecast.completionTokensPerStep, 16)
        let expected: Double = 1.6 + 0.2 + 0.44 + 2.2  // 2 × 8 × 0.1, 2 × 0.1, 2 × 11 × 0.02, 2 × 11 × 0.1
        XCTAssertEqual(forecast.secondsPerStep, expected, accuracy: 1e-9)
    }
}
