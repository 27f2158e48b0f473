import Foundation
import LLM
import Tensor

/// Every setting of a GRPO run, with TRL 1.16's field names in camelCase and TRL's defaults
/// (except `gradientCheckpointing`, which is decided from a memory estimate when nil).
///
/// `perDeviceTrainBatchSize` counts completions, not prompts. Call `validate()` (the trainer does)
/// to get an error naming the numbers to change when the batch sizes do not fit together.
public struct GRPOConfig: Equatable, Sendable {
    // Optimizer and schedule.
    public var learningRate: Double = 1e-6
    public var adamBeta1: Double = 0.9
    public var adamBeta2: Double = 0.999
    public var adamEpsilon: Double = 1e-8
    public var weightDecay: Double = 0
    public var maxGradNorm: Double = 1
    public var lrSchedulerType: LearningRateSchedule.Decay = .linear
    public var warmupRatio: Double = 0
    /// Takes precedence over `warmupRatio` when > 0.
    public var warmupSteps: Int = 0
    /// Optimizer steps to run; ≤ 0 = run `numTrainEpochs` epochs.
    public var maxSteps: Int = -1
    public var numTrainEpochs: Double = 3

    // Batching.
    /// Completions per micro-batch (TRL counts completions, not prompts).
    public var perDeviceTrainBatchSize: Int = 8
    public var gradientAccumulationSteps: Int = 1
    /// G, the completions sampled per prompt.
    public var numGenerations: Int = 8
    /// Micro-batches per generation batch; nil = `gradientAccumulationSteps` (or from `generationBatchSize`).
    public var stepsPerGeneration: Int? = nil
    /// Completions per generation batch; nil = `perDeviceTrainBatchSize × stepsPerGeneration`.
    public var generationBatchSize: Int? = nil
    /// μ: how many times each generation batch is used for updates.
    public var numIterations: Int = 1

    // Sampling.
    public var temperature: Double = 1
    public var topP: Double = 1
    public var topK: Int = 0
    public var minP: Double? = nil
    public var repetitionPenalty: Double = 1
    /// DAPO's overlong filtering: completions that hit `maxCompletionLength` get no loss.
    public var maskTruncatedCompletions: Bool = false
    /// Generation also stops after any of these strings (not a TRL field; empty = EOS only).
    public var stopStrings: [String] = []

    // Loss and rewards.
    /// The loss settings (lossType, beta, epsilon, …); their fields sit at the top level of config files.
    public var loss = GRPOLossSettings()
    public var scaleRewards: RewardScaling = .group
    public var multiObjectiveAggregation: MultiObjectiveAggregation = .sumThenNormalize
    /// One weight per reward function; nil = all 1.
    public var rewardWeights: [Double]? = nil
    /// Seconds a reward may take per call before its scores are discarded; nil = no budget.
    public var rewardTimeBudget: Double? = nil

    // Beyond TRL.
    /// DAPO dynamic sampling: drop groups whose rewards all agree and draw more prompts.
    public var dynamicSampling: Bool = false
    /// How many extra generation rounds dynamic sampling may run per generation batch.
    public var dynamicSamplingMaxDraws: Int = 4
    /// Guided rollouts: a dataset column holding, for each row, a prompt that makes the wanted
    /// behaviour likely (e.g. the same question after worked examples). `guidedGenerations` of
    /// each group's G completions are sampled from it, then scored and trained as completions
    /// of the row's own prompt, so a group has a signal even while the model never finds the
    /// behaviour by itself (off-policy guidance, as LUFFY mixes off-policy traces into groups).
    public var guidePromptColumn: String? = nil
    /// How many of each group's completions come from `guidePromptColumn`'s prompt (0 = none;
    /// fewer than `numGenerations`, so every group keeps on-policy samples).
    public var guidedGenerations: Int = 0
    /// Recompute each block's activations in the backward pass; nil = on only when the
    /// activation estimate does not fit in memory.
    public var gradientCheckpointing: Bool? = nil

    // Logging, checkpoints, reproducibility.
    public var loggingSteps: Int = 10
    public var saveSteps: Int = 500
    /// Keep at most this many checkpoints (oldest deleted first); nil = keep all.
    public var saveTotalLimit: Int? = nil
    public var outputDir: String = "trainer_output"
    public var seed: UInt64 = 42

    /// A configuration with TRL's defaults, changing the fields given.
    public init(learningRate: Double = 1e-6, numGenerations: Int = 8, maxCompletionLength: Int = 512,
                maxSteps: Int = -1, beta: Double = 0, perDeviceTrainBatchSize: Int = 8,
                gradientAccumulationSteps: Int = 1, temperature: Double = 1, lossType: GRPOLossType = .dapo,
                seed: UInt64 = 42, outputDir: String = "trainer_output") {
        self.learningRate = learningRate
        self.numGenerations = numGenerations
        self.maxSteps = maxSteps
        self.perDeviceTrainBatchSize = perDeviceTrainBatchSize
        self.gradientAccumulationSteps = gradientAccumulationSteps
        self.temperature = temperature
        self.seed = seed
        self.outputDir = outputDir
        loss.maxCompletionLength = maxCompletionLength
        loss.beta = beta
        loss.lossType = lossType
    }

    // The loss fields people set most, at the top level as in TRL.
    public var maxCompletionLength: Int {
        get { loss.maxCompletionLength }
        set { loss.maxCompletionLength = newValue }
    }
    public var beta: Double {
        get { loss.beta }
        set { loss.beta = newValue }
    }
    public var lossType: GRPOLossType {
        get { loss.lossType }
        set { loss.lossType = newValue }
    }
    public var epsilon: Double {
        get { loss.epsilon }
        set { loss.epsilon = newValue }
    }
    public var epsilonHigh: Double? {
        get { loss.epsilonHigh }
        set { loss.epsilonHigh = newValue }
    }
    public var delta: Double? {
        get { loss.delta }
        set { loss.delta = newValue }
    }
    public var importanceSamplingLevel: ImportanceSamplingLevel {
        get { loss.importanceSamplingLevel }
        set { loss.importanceSamplingLevel = newValue }
    }
    public var useBiasCorrectionKL: Bool {
        get { loss.useBiasCorrectionKL }
        set { loss.useBiasCorrectionKL = newValue }
    }
    public var offPolicyMaskThreshold: Double? {
        get { loss.offPolicyMaskThreshold }
        set { loss.offPolicyMaskThreshold = newValue }
    }
}

extension GRPOConfig {
    /// Micro-batches per generation batch, as TRL derives it.
    public var resolvedStepsPerGeneration: Int {
        if let stepsPerGeneration { return stepsPerGeneration }
        if let generationBatchSize, perDeviceTrainBatchSize > 0 { return generationBatchSize / perDeviceTrainBatchSize }
        return gradientAccumulationSteps
    }

    /// Completions per generation batch, as TRL derives it.
    public var resolvedGenerationBatchSize: Int {
        generationBatchSize ?? perDeviceTrainBatchSize * resolvedStepsPerGeneration
    }

    /// Prompts per generation batch.
    public var promptsPerGeneration: Int { resolvedGenerationBatchSize / max(1, numGenerations) }

    /// Micro-steps between two generations (TRL's `steps_per_generation × num_iterations`).
    public var microStepsPerGeneration: Int { resolvedStepsPerGeneration * numIterations }

    /// True when the policy's log-probs at sampling time are needed as `old` (TRL's rule: the
    /// policy changes between generation and some of its micro-batches).
    public var needsOldLogProbs: Bool {
        gradientAccumulationSteps % microStepsPerGeneration != 0
    }

    /// The sampling settings for rollouts.
    public var samplingOptions: SamplingOptions {
        SamplingOptions(temperature: Float(temperature), topK: topK, topP: Float(topP), minP: Float(minP ?? 0),
                        repetitionPenalty: Float(repetitionPenalty))
    }

    /// Optimizer steps of the whole run for a dataset of `promptCount` prompts.
    public func totalSteps(promptCount: Int) -> Int {
        if maxSteps > 0 { return maxSteps }
        let batchesPerEpoch = promptCount / max(1, promptsPerGeneration)
        let microSteps = Double(batchesPerEpoch * microStepsPerGeneration) * numTrainEpochs
        return max(1, Int((microSteps / Double(max(1, gradientAccumulationSteps))).rounded(.up)))
    }

    /// The learning-rate schedule for a run of `totalSteps` optimizer steps.
    public func schedule(totalSteps: Int) -> LearningRateSchedule {
        let warmup = warmupSteps > 0 ? warmupSteps : Int((warmupRatio * Double(totalSteps)).rounded(.up))
        return LearningRateSchedule(peakRate: Float(learningRate), decay: lrSchedulerType,
                                    warmupSteps: warmup, totalSteps: totalSteps)
    }

    /// The AdamW hyperparameters.
    public var optimizerConfiguration: AdamW.Configuration {
        AdamW.Configuration(learningRate: learningRate, beta1: adamBeta1, beta2: adamBeta2,
                            epsilon: adamEpsilon, weightDecay: weightDecay)
    }
}
