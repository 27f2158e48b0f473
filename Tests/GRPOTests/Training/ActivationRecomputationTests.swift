import Foundation
import GRPO
import LLM
import Tensor
import XCTest

/// How many blocks the trainer recomputes, and that recomputing some or all of them changes
/// nothing but memory.
final class ActivationRecomputationTests: XCTestCase {
    private func trainer(checkpointing: Bool?) throws -> GRPOTrainer {
        var config = TrainerTestSupport.tinyConfig("recompute", steps: 1)
        config.gradientCheckpointing = checkpointing
        return try GRPOTrainer(model: try TrainerTestSupport.tinyModel(), rewards: [TrainerTestSupport.vowelShare],
                               config: config, dataset: TrainerTestSupport.arithmeticDataset, lora: LoRAConfig(rank: 4, alpha: 8))
    }

    func testTheSettingForcesAllOrNoBlocks() throws {
        let layers = try trainer(checkpointing: true).model.config.layerCount
        XCTAssertEqual(try trainer(checkpointing: true).recomputedBlockCount(rowsPerSequence: [10, 12]), layers)
        XCTAssertEqual(try trainer(checkpointing: false).recomputedBlockCount(rowsPerSequence: [10_000_000]), 0)
    }

    func testAutomaticChoiceRecomputesTheFewestBlocksThatFitTheBudget() throws {
        let trainer = try trainer(checkpointing: nil)
        let config = trainer.model.config
        XCTAssertEqual(trainer.recomputedBlockCount(rowsPerSequence: [40, 40]), 0)
        func estimate(_ rows: [Int], _ recomputed: Int) -> Double {
            PolicyLogProbs.activationBytes(rowsPerSequence: rows, config: config, loraRank: 4,
                                           adaptedProjections: trainer.adapter.projections.count / config.layerCount,
                                           recomputedBlocks: recomputed)
        }
        // Rows whose full estimate is 1.5× the budget: some blocks, not all, are recomputed.
        let perRow = estimate([1], 0) - estimate([0], 0)
        let rows = Int(1.5 * GRPOTrainer.activationBudgetBytes / perRow)
        let count = trainer.recomputedBlockCount(rowsPerSequence: [rows])
        XCTAssertGreaterThan(count, 0)
        XCTAssertLessThanOrEqual(estimate([rows], count), GRPOTrainer.activationBudgetBytes)
        XCTAssertGreaterThan(estimate([rows], count - 1), GRPOTrainer.activationBudgetBytes)
        XCTAssertLessThan(estimate([rows], config.layerCount), estimate([rows], 0) / 2)
    }

    func testRecomputedBlocksGiveTheSameLogProbsAndGradients() throws {
        let trainer = try trainer(checkpointing: nil)
        let network = trainer.model.network
        // Nonzero B so every factor gets a gradient.
        for projection in trainer.adapter.projections {
            projection.b.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] = Float(index % 7) * 0.01 - 0.03 }
            }
        }
        let samples = try [(Array(3..<12), Array(40..<47)), (Array(5..<9), Array(60..<70))].map { prompt, completion in
            let json = #"{"datasetIndex": 0, "prompt": "", "completion": "", "finishReason": "maxNewTokens", "#
                + #""rewards": [], "reward": 0, "advantage": 0, "promptTokens": \#(prompt), "completionTokens": \#(completion)}"#
            return try JSONDecoder().decode(CompletionSample.self, from: Data(json.utf8))
        }
        let packed = try PackedCompletions(samples, maxPositions: network.config.maxPositions)
        var results: [(logProbs: [Float], gradients: [Float])] = []
        for recomputed in [0, 1, network.config.layerCount] {
            trainer.adapter.zeroGradients()
            let logProbs = try PolicyLogProbs.compute(packed, network: network, temperature: 0.9,
                                                      recomputedBlocks: recomputed).logProbs
            logProbs.backward(Tensor(shape: logProbs.shape, repeating: 1))
            results.append((logProbs.scalars, trainer.adapter.flatGradients.scalars))
        }
        XCTAssertTrue(results[0].gradients.contains { $0 != 0 })
        for result in results.dropFirst() {
            XCTAssertEqual(result.logProbs, results[0].logProbs)
            XCTAssertEqual(result.gradients.count, results[0].gradients.count)
            let difference = zip(result.gradients, results[0].gradients).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(difference, 1e-6)
        }
    }
}
