import Foundation
import GRPO
import LLM
import XCTest

/// The trainer on the tiny Llama fixture: exact resume, deterministic replay, interrupts,
/// faulty rewards and non-finite updates.
final class TrainerResumeTests: XCTestCase {
    /// GA 2 and numIterations 2: a generation batch serves two optimizer steps (so a checkpoint
    /// after an odd step holds a half-used rollout buffer) and old log-probs are computed.
    private func config(_ name: String, steps: Int = 6) -> GRPOConfig {
        var config = TrainerTestSupport.tinyConfig(name, steps: steps)
        config.numIterations = 2
        config.lossType = .grpo
        return config
    }

    private func trainer(_ config: GRPOConfig, rewards: [any RewardFunction] = [TrainerTestSupport.vowelShare]) throws
        -> (GRPOTrainer, RecordingObserver) {
        let trainer = try GRPOTrainer(model: try TrainerTestSupport.tinyModel(), rewards: rewards, config: config,
                                      dataset: TrainerTestSupport.arithmeticDataset,
                                      lora: LoRAConfig(rank: 4, alpha: 8, seed: 3))
        let observer = RecordingObserver()
        trainer.observers.append(observer)
        return (trainer, observer)
    }

    func testResumeFromACheckpointContinuesBitIdentically() throws {
        let (straight, straightLog) = try trainer(config("straight"))
        XCTAssertTrue(try straight.train())
        XCTAssertEqual(straightLog.finished.map(\.step), [1, 2, 3, 4, 5, 6])
        XCTAssertTrue(straight.config.needsOldLogProbs)
        let losses = straightLog.finished.map { $0["loss"] ?? .nan }
        XCTAssertTrue(losses.contains { $0 != 0 }, "the reward must give the loss something to do: \(losses)")

        var split = config("split")
        split.saveSteps = 3
        split.saveTotalLimit = 1
        let (first, firstLog) = try trainer(split)
        XCTAssertFalse(try first.train(maxSteps: 3))
        XCTAssertEqual(firstLog.finished.map { $0["loss"] ?? .nan }, Array(losses.prefix(3)), "same seed, same losses")
        XCTAssertNotNil(first.state.buffer, "the checkpoint falls inside a generation batch")

        let (second, secondLog) = try trainer(split)
        let folder = try second.resume()
        XCTAssertEqual(folder.lastPathComponent, "checkpoint-3")
        XCTAssertEqual(second.state.step, 3)
        XCTAssertTrue(try second.train())
        XCTAssertEqual(secondLog.finished.map(\.step), [4, 5, 6])
        XCTAssertEqual(secondLog.finished.map { $0["loss"] ?? .nan }, Array(losses.suffix(3)))
        XCTAssertEqual(secondLog.finished.map { $0["grad_norm"] ?? .nan }, straightLog.finished.suffix(3).map { $0["grad_norm"] ?? .nan })
        XCTAssertEqual(TrainerTestSupport.adapterBytes(second.adapter), TrainerTestSupport.adapterBytes(straight.adapter))

        // The log continues the checkpoint's; saveTotalLimit 1 keeps only the newest checkpoint.
        let lines = second.metricsLog.contents().split(separator: "\n")
        XCTAssertEqual(lines.count, 6)
        XCTAssertEqual(try TrainerCheckpoint(directory: second.outputDirectory).steps(), [6])
        let files = try FileManager.default.contentsOfDirectory(atPath: second.outputDirectory.appendingPathComponent("checkpoint-6").path)
        XCTAssertEqual(Set(files), ["adapter_config.json", "adapter_model.safetensors", "optimizer.json", "optimizer.safetensors",
                                    "trainer_state.json", "grpo_config.json", "metrics.jsonl"])
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: second.outputDirectory.path).contains { $0.hasPrefix(".") },
                       "no temporary folder is left behind")
    }

    func testInterruptStopsAtAMicroStepAndTrainingAgainContinuesTheSameRun() throws {
        let (straight, straightLog) = try trainer(config("reference", steps: 3))
        try straight.train()

        let (interrupted, log) = try trainer(config("interrupted", steps: 3))
        var polls = 0
        let finished = try interrupted.train(isCancelled: {
            polls += 1
            return polls >= 5   // from inside the first generation on
        })
        XCTAssertFalse(finished)
        XCTAssertTrue(interrupted.isMidStep)
        XCTAssertEqual(interrupted.state.generationRounds, 0, "a cancelled generation is discarded")
        XCTAssertThrowsError(try interrupted.saveCheckpoint()) { XCTAssertTrue("\($0)".contains("half done") || "\($0)".contains("interrupted")) }
        var stops = 0
        while !(try interrupted.train(isCancelled: { stops += 1; return stops % 23 == 0 })) {}
        XCTAssertEqual(log.finished.map { $0["loss"] ?? .nan }, straightLog.finished.map { $0["loss"] ?? .nan })
        XCTAssertEqual(TrainerTestSupport.adapterBytes(interrupted.adapter), TrainerTestSupport.adapterBytes(straight.adapter))
    }

    func testAThrowingRewardNeverStopsTheRun() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "the judge is down" } }
        let throwing = Reward(name: "judge") { _ in throw Broken() }
        let (trainer, log) = try trainer(config("faults", steps: 2), rewards: [TrainerTestSupport.vowelShare, throwing])
        XCTAssertTrue(try trainer.train())
        XCTAssertEqual(log.finished.count, 2)
        XCTAssertGreaterThan(trainer.rewardRunner.statistics[1].failedCalls, 0)
        XCTAssertTrue(log.warnings.contains { $0.kind == "reward_faults" && $0.message.contains("the judge is down") })
        let completions = try XCTUnwrap(trainer.completions(step: 1))
        XCTAssertEqual(completions.count, 8)
        XCTAssertTrue(completions.allSatisfy { $0.rewards.count == 2 && $0.rewards[1] == nil && $0.rewards[0] != nil })
    }

    func testNonFiniteUpdatesAreSkippedAndNeverReachTheWeights() throws {
        // A learning rate this large makes the adapter's products overflow after the first
        // update, so later losses and gradients are not finite.
        var config = config("nan", steps: 4)
        config.learningRate = 1e30
        config.warmupSteps = 0
        config.maxGradNorm = 0
        let (trainer, log) = try trainer(config)
        XCTAssertTrue(try trainer.train())
        XCTAssertEqual(log.finished.count, 4)
        XCTAssertGreaterThan(trainer.state.skippedUpdates, 0)
        XCTAssertEqual(log.finished.last?["skipped_updates"], Double(trainer.state.skippedUpdates))
        XCTAssertTrue(trainer.adapter.flatValues.scalars.allSatisfy(\.isFinite), "a skipped update writes nothing")
        XCTAssertTrue(log.warnings.contains { $0.kind == "skipped_update" })
    }
}
