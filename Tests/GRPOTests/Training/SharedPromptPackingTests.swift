import Foundation
import GRPO
import LLM
import Tensor
import XCTest

/// Completions of one prompt share the prompt's rows in the pack, and that changes nothing but
/// the work: log-probs and LoRA gradients equal those of each sample packed on its own.
final class SharedPromptPackingTests: XCTestCase {
    private func sample(_ prompt: [Int], _ completion: [Int]) throws -> CompletionSample {
        let json = #"{"datasetIndex": 0, "prompt": "", "completion": "", "finishReason": "maxNewTokens", "#
            + #""rewards": [], "reward": 0, "advantage": 0, "promptTokens": \#(prompt), "completionTokens": \#(completion)}"#
        return try JSONDecoder().decode(CompletionSample.self, from: Data(json.utf8))
    }

    /// Prompt A (three completions, one of a single token), prompt B, and a prompt that is A's prefix.
    private func samples() throws -> [CompletionSample] {
        let a = Array(3..<12), b = Array(5..<9)
        return try [sample(a, Array(40..<47)), sample(b, Array(60..<70)), sample(a, [71]),
                    sample(Array(a.prefix(4)), Array(30..<35)), sample(a, Array(50..<63))]
    }

    func testEachDistinctPromptIsPackedOnce() throws {
        let samples = try samples()
        let packed = try PackedCompletions(samples, maxPositions: 512)
        // A (9) + its completion (6) + B (4) + its completion (9) + A's 4-token prefix, standalone (4)
        // + its completion (4) + the last completion of A (12); the one-token completion adds no row.
        XCTAssertEqual(packed.rowCount, 9 + 6 + 4 + 9 + 4 + 4 + 12)
        XCTAssertEqual(packed.rowsPerSequence, [9, 6, 4, 9, 4, 4, 12])
        XCTAssertEqual(packed.lengths, [7, 10, 1, 5, 13])
        XCTAssertEqual(packed.targets, samples.flatMap(\.completionTokens))
        // A's last row (8) predicts the first token of each of its three completions.
        XCTAssertEqual(packed.completionRows.count, packed.tokenCount)
        XCTAssertEqual(packed.completionRows.filter { $0 == 8 }.count, 3)
        XCTAssertEqual(Array(packed.completionRows.prefix(7)), [8] + Array(9..<15))
        let sequences = packed.batch.sequences
        XCTAssertEqual(sequences.map(\.prefix), [0..<0, 0..<9, 0..<0, 15..<19, 0..<0, 28..<32, 0..<9])
        XCTAssertEqual(sequences.map(\.startPosition), [0, 9, 0, 4, 0, 4, 9])
        XCTAssertEqual(Array(packed.batch.tokens[36...]), Array(50..<62))
    }

    func testSharedPromptsGiveTheSameLogProbsAndGradientsAsSeparatePacks() throws {
        let model = try TrainerTestSupport.tinyModel()
        var config = TrainerTestSupport.tinyConfig("shared-prompts", steps: 1)
        config.gradientCheckpointing = false
        let trainer = try GRPOTrainer(model: model, rewards: [TrainerTestSupport.vowelShare], config: config,
                                      dataset: TrainerTestSupport.arithmeticDataset, lora: LoRAConfig(rank: 4, alpha: 8))
        let network = trainer.model.network
        // Nonzero B so every factor gets a gradient.
        for projection in trainer.adapter.projections {
            projection.b.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] = Float(index % 5) * 0.02 - 0.04 }
            }
        }
        let samples = try samples()
        let upstream = (0 ..< samples.reduce(0) { $0 + $1.completionTokens.count }).map { Float($0 % 7) * 0.3 - 0.9 }

        trainer.adapter.zeroGradients()
        let shared = try PolicyLogProbs.compute(PackedCompletions(samples, maxPositions: network.config.maxPositions),
                                                network: network, temperature: 0.9).logProbs
        shared.backward(Tensor(shape: shared.shape, scalars: upstream))
        let sharedGradients = trainer.adapter.flatGradients.scalars

        trainer.adapter.zeroGradients()
        var separate: [Float] = []
        for sample in samples {
            let logProbs = try PolicyLogProbs.compute(PackedCompletions([sample], maxPositions: network.config.maxPositions),
                                                      network: network, temperature: 0.9).logProbs
            let share = Array(upstream[separate.count ..< separate.count + logProbs.count])
            logProbs.backward(Tensor(shape: logProbs.shape, scalars: share))
            separate += logProbs.scalars
        }
        let separateGradients = trainer.adapter.flatGradients.scalars

        XCTAssertEqual(shared.count, separate.count)
        XCTAssertLessThan(zip(shared.scalars, separate).map { abs($0 - $1) }.max() ?? 0, 1e-5)
        XCTAssertTrue(separateGradients.contains { $0 != 0 })
        let scale = separateGradients.map(abs).max() ?? 1
        let difference = zip(sharedGradients, separateGradients).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(difference, 1e-5 * max(1, scale))
        // And without a graph (reference pass), identically.
        let values = try PolicyLogProbs.values(PackedCompletions(samples, maxPositions: network.config.maxPositions),
                                               network: network, temperature: 0.9)
        XCTAssertEqual(values, shared.scalars)
    }

    func testACompletionAfterAnEmptyPromptIsRefused() throws {
        XCTAssertThrowsError(try PackedCompletions([sample([], [4, 5])], maxPositions: 64))
        XCTAssertThrowsError(try PackedCompletions([sample(Array(0..<60), Array(0..<10))], maxPositions: 64))
    }
}
