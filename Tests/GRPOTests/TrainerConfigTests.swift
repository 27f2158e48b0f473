import Foundation
import GRPO
import Tensor
import XCTest

/// GRPOConfig: TRL's defaults and size rules, file decoding, the job file, and the prompt order.
final class TrainerConfigTests: XCTestCase {
    func testDefaultsAreTRLs() throws {
        let config = GRPOConfig()
        XCTAssertEqual(config.learningRate, 1e-6)
        XCTAssertEqual(config.numGenerations, 8)
        XCTAssertEqual(config.maxCompletionLength, 512)
        XCTAssertEqual(config.lossType, .dapo)
        XCTAssertEqual(config.beta, 0)
        XCTAssertEqual(config.scaleRewards, .group)
        XCTAssertEqual(config.resolvedStepsPerGeneration, 1)
        XCTAssertEqual(config.resolvedGenerationBatchSize, 8)
        XCTAssertFalse(config.needsOldLogProbs)
        XCTAssertNoThrow(try config.validate())
    }

    func testGenerationBatchNotAMultipleOfGNamesTheNumbers() {
        var config = GRPOConfig(numGenerations: 3, perDeviceTrainBatchSize: 4)
        XCTAssertThrowsError(try config.validate()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("multiple of numGenerations 3"), message)
            XCTAssertTrue(message.contains("perDeviceTrainBatchSize"), message)
            XCTAssertEqual((error as? GRPOConfigError)?.fields, ["numGenerations", "perDeviceTrainBatchSize"])
        }
        config.gradientAccumulationSteps = 3   // 4 × 3 = 12 completions, a multiple of 3
        XCTAssertNoThrow(try config.validate())
        XCTAssertEqual(config.promptsPerGeneration, 4)
    }

    func testSizeRulesAsTRL() {
        var config = GRPOConfig(numGenerations: 4, perDeviceTrainBatchSize: 4)
        config.stepsPerGeneration = 2
        config.generationBatchSize = 8
        XCTAssertThrowsError(try config.validate()) { XCTAssertTrue("\($0)".contains("set only one")) }
        config.stepsPerGeneration = nil
        config.generationBatchSize = 10
        XCTAssertThrowsError(try config.validate()) { XCTAssertTrue("\($0)".contains("not a multiple of perDeviceTrainBatchSize 4")) }
        config.generationBatchSize = 16
        XCTAssertNoThrow(try config.validate())
        XCTAssertEqual(config.resolvedStepsPerGeneration, 4)
        XCTAssertTrue(config.needsOldLogProbs, "GA 1 with 4 micro-batches per generation: the policy moves before they are used")
        config.numGenerations = 1
        XCTAssertThrowsError(try config.validate()) { XCTAssertTrue("\($0)".contains("at least 2")) }
        config = GRPOConfig(numGenerations: 4, perDeviceTrainBatchSize: 4)
        config.numIterations = 2
        XCTAssertTrue(config.needsOldLogProbs)
        config.temperature = 0
        XCTAssertThrowsError(try config.validate()) { XCTAssertEqual(($0 as? GRPOConfigError)?.fields, ["temperature"]) }
        XCTAssertThrowsError(try GRPOConfig().validate(rewardCount: 0))
        var weighted = GRPOConfig()
        weighted.rewardWeights = [1, 2]
        XCTAssertThrowsError(try weighted.validate(rewardCount: 3)) { XCTAssertTrue("\($0)".contains("one weight per reward")) }
    }

    func testCodableIsFlatAndPartialFilesKeepDefaults() throws {
        var config = GRPOConfig(learningRate: 5e-6, numGenerations: 4, maxCompletionLength: 128, maxSteps: 200, beta: 0.04)
        config.epsilonHigh = 0.28
        config.scaleRewards = .batch
        config.gradientCheckpointing = true
        let data = try JSONEncoder().encode(config)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["beta"] as? Double, 0.04)
        XCTAssertEqual(object["epsilonHigh"] as? Double, 0.28)
        XCTAssertNil(object["loss"])
        XCTAssertEqual(try JSONDecoder().decode(GRPOConfig.self, from: data), config)

        let partial = try JSONDecoder().decode(GRPOConfig.self, from: Data(#"{"beta": 0.1, "scaleRewards": false, "lossType": "dr_grpo"}"#.utf8))
        var expected = GRPOConfig(beta: 0.1, lossType: .drGRPO)
        expected.scaleRewards = .none
        XCTAssertEqual(partial, expected)
    }

    func testJobFileAcceptsSnakeCaseAndSuggestsNames() throws {
        let job = try GRPOJob(dictionary: [
            "model": "SmolLM2-135M-Instruct", "dataset": "data.json", "prompt_column": "Question",
            "rewards": ["strict_format", ["name": "exactAnswer", "weight": 2.0]],
            "lora": ["r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "v_proj"]],
            "learning_rate": 5e-6, "num_generations": 4, "per_device_train_batch_size": 4, "max_completion_length": 64,
            "epsilon_high": 0.28, "output_dir": "runs/x",
        ])
        XCTAssertEqual(job.grpo.learningRate, 5e-6)
        XCTAssertEqual(job.grpo.numGenerations, 4)
        XCTAssertEqual(job.grpo.maxCompletionLength, 64)
        XCTAssertEqual(job.grpo.epsilonHigh, 0.28)
        XCTAssertEqual(job.grpo.outputDir, "runs/x")
        XCTAssertEqual(job.grpo.rewardWeights, [1, 2])
        XCTAssertEqual(job.rewards.map(\.name), ["strictFormat", "exactAnswer"])
        XCTAssertEqual(job.lora.rank, 8)
        XCTAssertEqual(job.lora.alpha, 16)
        XCTAssertEqual(job.lora.targetModules, ["q_proj", "v_proj"])

        XCTAssertThrowsError(try GRPOJob(dictionary: ["dataset": "d.json", "rewards": ["xmlCount"], "learning_rat": 1e-5])) {
            XCTAssertTrue("\($0)".contains("did you mean \"learningRate\""), "\($0)")
        }
        XCTAssertThrowsError(try GRPOJob(dictionary: ["dataset": "d.json", "rewards": ["strictFormatt"]])) {
            XCTAssertTrue("\($0)".contains("did you mean \"strictFormat\""), "\($0)")
        }
        XCTAssertThrowsError(try GRPOJob(dictionary: ["dataset": "d.json", "rewards": ["xmlCount"], "num_generations": 3,
                                                      "per_device_train_batch_size": 4])) {
            XCTAssertTrue("\($0)".contains("multiple of numGenerations 3"), "\($0)")
        }
    }

    func testPromptOrderIsASeededShufflePerEpochAndResumes() throws {
        var sampler = try PromptSampler(datasetCount: 10, promptsPerBatch: 3, random: RandomStream(seed: 1))
        XCTAssertEqual(sampler.batchesPerEpoch, 3)
        var firstEpoch: [Int] = []
        for _ in 0..<3 { firstEpoch += sampler.nextBatch() }
        XCTAssertEqual(Set(firstEpoch).count, 9, "a block never repeats a prompt within an epoch")
        let saved = try JSONEncoder().encode(sampler)
        let next = sampler.nextBatch()
        var restored = try JSONDecoder().decode(PromptSampler.self, from: saved)
        XCTAssertEqual(restored.nextBatch(), next)
        XCTAssertEqual(sampler.epoch, 2)
        var again = try PromptSampler(datasetCount: 10, promptsPerBatch: 3, random: RandomStream(seed: 1))
        XCTAssertEqual(again.nextBatch(), Array(firstEpoch.prefix(3)))
        XCTAssertThrowsError(try PromptSampler(datasetCount: 2, promptsPerBatch: 3, random: RandomStream(seed: 1)))
    }

    func testMetricsLineIsJSONWithNullForNonFinite() throws {
        let metrics = StepMetrics(step: 3, epoch: 0.5, values: ["reward": 0.25, "kl": .nan, "rewards/a \"b\"/mean": 1])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(metrics.jsonLine.utf8)) as? [String: Any])
        XCTAssertEqual(object["step"] as? Int, 3)
        XCTAssertEqual(object["reward"] as? Double, 0.25)
        XCTAssertTrue(object["kl"] is NSNull)
        XCTAssertEqual(object["rewards/a \"b\"/mean"] as? Int, 1)
    }
}
