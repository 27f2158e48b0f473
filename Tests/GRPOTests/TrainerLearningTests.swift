import Foundation
import GRPO
import LLM
import XCTest

/// GRPO on the real default model learns a verifiable preference within a few steps.
final class TrainerLearningTests: XCTestCase {
    func testMeanRewardRisesOnABrevityReward() throws {
        let model = try LanguageModel.load("SmolLM2-135M-Instruct")
        let questions = ["Name a color.", "What is the capital of France?", "Say hello.", "Name an animal.",
                         "What is two plus two?", "Name a fruit.", "What day comes after Monday?", "Name a planet."]
        let dataset = Dataset(questions.map { ["prompt": Dataset.chatMessages(system: "", user: $0)] })
        let maxLength = 32
        // 1 for an empty answer down to 0 for one that fills (or overruns) maxLength tokens.
        let brevity = Reward(name: "brevity", range: 0...1, perRow: { batch, row in
            guard let ids = batch.completionIDs?[row] else { return nil }
            return max(0, 1 - Double(ids.count) / Double(maxLength))
        })
        var config = GRPOConfig(learningRate: 3e-3, numGenerations: 4, maxCompletionLength: maxLength, maxSteps: 10,
                                perDeviceTrainBatchSize: 8, seed: 11,
                                outputDir: TrainerTestSupport.outputFolder("learning"))
        config.loggingSteps = 1
        config.saveSteps = 0
        let trainer = try GRPOTrainer(model: model, rewards: [brevity], config: config, dataset: dataset,
                                      lora: LoRAConfig(rank: 8, alpha: 16, seed: 1))
        let observer = RecordingObserver()
        trainer.observers.append(observer)
        XCTAssertTrue(try trainer.train())
        let rewards = observer.finished.map { $0["reward"] ?? .nan }
        let early = rewards.prefix(3).reduce(0, +) / 3, late = rewards.suffix(3).reduce(0, +) / 3
        XCTAssertGreaterThan(late, early + 0.1, "mean reward per step: \(rewards)")
        XCTAssertEqual(trainer.state.skippedUpdates, 0)
        XCTAssertTrue(observer.finished.allSatisfy { ($0["grad_norm"] ?? .nan).isFinite })
    }
}
