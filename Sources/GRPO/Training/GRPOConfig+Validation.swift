/// Why a GRPO configuration cannot run; each message names the numbers to change.
public struct GRPOConfigError: Error, Equatable, CustomStringConvertible {
    /// The field(s) at fault, camelCase.
    public let fields: [String]
    public let message: String

    public init(_ fields: [String], _ message: String) {
        self.fields = fields
        self.message = message
    }

    public var description: String { message }
}

extension GRPOConfig {
    /// Checks the sizes and ranges as TRL's `GRPOConfig.__post_init__` does (and a few more);
    /// throws the first problem, saying which numbers to change.
    public func validate() throws {
        func positive(_ value: Int, _ name: String) throws {
            guard value > 0 else { throw GRPOConfigError([name], "\(name) is \(value); it must be at least 1.") }
        }
        try positive(perDeviceTrainBatchSize, "perDeviceTrainBatchSize")
        try positive(gradientAccumulationSteps, "gradientAccumulationSteps")
        try positive(numIterations, "numIterations")
        try positive(maxCompletionLength, "maxCompletionLength")
        guard numGenerations >= 2 else {
            throw GRPOConfigError(["numGenerations"],
                "numGenerations is \(numGenerations); GRPO compares completions within a group, so it needs at least 2.")
        }
        if stepsPerGeneration != nil && generationBatchSize != nil {
            throw GRPOConfigError(["stepsPerGeneration", "generationBatchSize"],
                "stepsPerGeneration and generationBatchSize are both set; set only one (the other follows from perDeviceTrainBatchSize).")
        }
        if let stepsPerGeneration { try positive(stepsPerGeneration, "stepsPerGeneration") }
        if let generationBatchSize {
            try positive(generationBatchSize, "generationBatchSize")
            guard generationBatchSize % perDeviceTrainBatchSize == 0 else {
                let lower = generationBatchSize / perDeviceTrainBatchSize * perDeviceTrainBatchSize
                throw GRPOConfigError(["generationBatchSize", "perDeviceTrainBatchSize"],
                    "generationBatchSize \(generationBatchSize) is not a multiple of perDeviceTrainBatchSize \(perDeviceTrainBatchSize); "
                    + "use \(max(perDeviceTrainBatchSize, lower)) or \(lower + perDeviceTrainBatchSize), or change perDeviceTrainBatchSize.")
            }
        }
        let batch = resolvedGenerationBatchSize
        guard batch % numGenerations == 0 else {
            let g = numGenerations
            let divisors = (2...max(2, batch)).filter { batch % $0 == 0 && $0 <= 64 }.map(String.init).joined(separator: ", ")
            let origin = generationBatchSize != nil ? "generationBatchSize"
                : "perDeviceTrainBatchSize × stepsPerGeneration = \(perDeviceTrainBatchSize) × \(resolvedStepsPerGeneration)"
            throw GRPOConfigError(["numGenerations", "perDeviceTrainBatchSize"],
                "The generation batch (\(origin) = \(batch) completions) is not a multiple of numGenerations \(g). "
                + "Make it a multiple of \(g) (for example perDeviceTrainBatchSize = \(g) or \(2 * g)), "
                + "or use a numGenerations that divides \(batch)\(divisors.isEmpty ? "" : " (\(divisors))").")
        }
        guard learningRate >= 0, learningRate.isFinite else {
            throw GRPOConfigError(["learningRate"], "learningRate is \(learningRate); use a finite value ≥ 0 (e.g. 5e-6).")
        }
        guard temperature > 0, temperature.isFinite else {
            throw GRPOConfigError(["temperature"],
                "temperature is \(temperature); training log-probs are taken at the sampling temperature, so it must be > 0 (TRL's default is 1).")
        }
        guard topP > 0 && topP <= 1 else { throw GRPOConfigError(["topP"], "topP is \(topP); use a value in (0, 1].") }
        guard topK >= 0 else { throw GRPOConfigError(["topK"], "topK is \(topK); use 0 (off) or a positive count.") }
        if let minP, !(minP >= 0 && minP <= 1) { throw GRPOConfigError(["minP"], "minP is \(minP); use a value in [0, 1].") }
        guard repetitionPenalty > 0 else {
            throw GRPOConfigError(["repetitionPenalty"], "repetitionPenalty is \(repetitionPenalty); use a value > 0 (1 = off).")
        }
        guard maxGradNorm >= 0 else { throw GRPOConfigError(["maxGradNorm"], "maxGradNorm is \(maxGradNorm); use ≥ 0 (0 = no clipping).") }
        guard (0...1).contains(warmupRatio) else {
            throw GRPOConfigError(["warmupRatio"], "warmupRatio is \(warmupRatio); use a fraction in [0, 1].")
        }
        guard warmupSteps >= 0 else { throw GRPOConfigError(["warmupSteps"], "warmupSteps is \(warmupSteps); use ≥ 0.") }
        guard maxSteps > 0 || numTrainEpochs > 0 else {
            throw GRPOConfigError(["maxSteps", "numTrainEpochs"], "Set maxSteps > 0 or numTrainEpochs > 0: the run has no length.")
        }
        guard loss.beta >= 0 else { throw GRPOConfigError(["beta"], "beta is \(loss.beta); the KL coefficient must be ≥ 0.") }
        if let weights = rewardWeights, weights.contains(where: { !$0.isFinite }) {
            throw GRPOConfigError(["rewardWeights"], "rewardWeights must be finite numbers.")
        }
        guard loggingSteps > 0 else { throw GRPOConfigError(["loggingSteps"], "loggingSteps is \(loggingSteps); use ≥ 1.") }
        guard saveSteps >= 0 else { throw GRPOConfigError(["saveSteps"], "saveSteps is \(saveSteps); use ≥ 0 (0 = no checkpoints).") }
        if let limit = saveTotalLimit, limit < 1 {
            throw GRPOConfigError(["saveTotalLimit"], "saveTotalLimit is \(limit); use ≥ 1 or leave it unset to keep every checkpoint.")
        }
        guard dynamicSamplingMaxDraws >= 0 else {
            throw GRPOConfigError(["dynamicSamplingMaxDraws"], "dynamicSamplingMaxDraws is \(dynamicSamplingMaxDraws); use ≥ 0.")
        }
        guard guidedGenerations >= 0, guidedGenerations < numGenerations else {
            throw GRPOConfigError(["guidedGenerations", "numGenerations"],
                "guidedGenerations is \(guidedGenerations) with numGenerations \(numGenerations); use 0 up to "
                + "\(numGenerations - 1) so each group keeps completions sampled from its own prompt.")
        }
        if guidedGenerations > 0, (guidePromptColumn ?? "").isEmpty {
            throw GRPOConfigError(["guidePromptColumn", "guidedGenerations"],
                "guidedGenerations is \(guidedGenerations) but no guidePromptColumn is set; name the dataset column "
                + "holding each row's guide prompt, or set guidedGenerations to 0.")
        }
    }

    /// Checks the reward weights against the number of rewards.
    public func validate(rewardCount: Int) throws {
        try validate()
        if let weights = rewardWeights, weights.count != rewardCount {
            throw GRPOConfigError(["rewardWeights"],
                "rewardWeights has \(weights.count) entries but there are \(rewardCount) reward functions; give one weight per reward.")
        }
        guard rewardCount > 0 else {
            throw GRPOConfigError(["rewards"], "GRPO needs at least one reward function.")
        }
    }
}
