import Foundation
import Tensor

/// One loss computation written the way TRL names things (`config` + `inputs`, snake_case, rows
/// right-padded to a common width): the format of the `grpo_loss.json` fixture and of
/// `swift-grpo grpo-loss`. `evaluate()` runs `Advantages.compute` and `policyLoss`, the trainer's path.
public struct TRLLossCase {
    public var settings = GRPOLossSettings()
    public var scaling = RewardScaling.group
    public var aggregation = MultiObjectiveAggregation.sumThenNormalize
    /// TRL's `num_generations`.
    public var groupSize: Int
    public var rewardsPerFunction: [[Double?]]
    public var rewardWeights: [Double]
    /// [B][T] rows; `mask` is 1 or 0.
    public var mask: [[Float]]
    public var logProbs: [[Float]]
    public var oldLogProbs: [[Float]]?
    public var referenceLogProbs: [[Float]]?
    public var samplerLogProbs: [[Float]]?
    public var entropies: [[Float]]?
    /// nil = the active tokens of these rows.
    public var itemsInBatch: Double?
    public var gradientAccumulationSteps = 1
    public var stepsPerGeneration = 1
    public var processCount = 1

    /// Reads `{"config": {...}, "inputs": {...}}`; a missing or malformed field throws an error naming it.
    public init(json: [String: Any]) throws {
        guard let config = json["config"] as? [String: Any] else { throw TRLLossCaseError.field("config", "an object") }
        guard let inputs = json["inputs"] as? [String: Any] else { throw TRLLossCaseError.field("inputs", "an object") }
        let reader = FieldReader(config: config, inputs: inputs)
        try reader.choice(&settings.lossType, "loss_type")
        try reader.number(&settings.beta, "beta")
        try reader.number(&settings.epsilon, "epsilon")
        settings.epsilonHigh = try reader.optionalNumber("epsilon_high")
        settings.delta = try reader.optionalNumber("delta")
        try reader.choice(&settings.importanceSamplingLevel, "importance_sampling_level")
        try reader.flag(&settings.useBiasCorrectionKL, "use_bias_correction_kl")
        try reader.integer(&settings.maxCompletionLength, "max_completion_length")
        try reader.number(&settings.sapoTemperaturePos, "sapo_temperature_pos")
        try reader.number(&settings.sapoTemperatureNeg, "sapo_temperature_neg")
        try reader.number(&settings.vespoKPos, "vespo_k_pos")
        try reader.number(&settings.vespoLambdaPos, "vespo_lambda_pos")
        try reader.number(&settings.vespoKNeg, "vespo_k_neg")
        try reader.number(&settings.vespoLambdaNeg, "vespo_lambda_neg")
        settings.offPolicyMaskThreshold = try reader.optionalNumber("off_policy_mask_threshold")
        try reader.number(&settings.topEntropyQuantile, "top_entropy_quantile")
        try reader.choice(&scaling, "scale_rewards")
        try reader.choice(&aggregation, "multi_objective_aggregation")
        try reader.integer(&gradientAccumulationSteps, "gradient_accumulation_steps")
        try reader.integer(&stepsPerGeneration, "steps_per_generation")
        try reader.integer(&processCount, "num_processes")
        if let mode = config["mode"] {
            guard let mode = mode as? String, mode == "train" || mode == "eval" else {
                throw TRLLossCaseError.field("config.mode", "\"train\" or \"eval\"")
            }
            // TRL divides by neither the accumulation steps nor the generation split in eval.
            if mode == "eval" { gradientAccumulationSteps = 1; stepsPerGeneration = 1 }
        }

        mask = try reader.matrix("completion_mask")
        let rows = mask.count, width = mask.first?.count ?? 0
        guard config["num_generations"] != nil else { throw TRLLossCaseError.field("config.num_generations", "an integer ≥ 1") }
        groupSize = 0
        try reader.integer(&groupSize, "num_generations")
        rewardsPerFunction = try reader.rewardTable("rewards_per_func")
        let functions = rewardsPerFunction.first?.count ?? 0
        rewardWeights = try reader.optionalVector("reward_weights") ?? Array(repeating: 1, count: functions)
        logProbs = try reader.matrix("logp", rows: rows, width: width)
        oldLogProbs = try reader.optionalMatrix("old_logp", rows: rows, width: width)
        referenceLogProbs = try reader.optionalMatrix("ref_logp", rows: rows, width: width)
        samplerLogProbs = try reader.optionalMatrix("sampling_logp", rows: rows, width: width)
        entropies = try reader.optionalMatrix("entropies", rows: rows, width: width)
        itemsInBatch = try reader.optionalNumber("num_items_in_batch", inInputs: true)
        if settings.beta != 0 && referenceLogProbs == nil {
            throw TRLLossCaseError.field("inputs.ref_logp", "the reference log-probs [B][T] (needed when beta ≠ 0)")
        }
        guard rewardsPerFunction.count == rows else {
            throw TRLLossCaseError.field("inputs.rewards_per_func", "\(rows) rows, one per completion_mask row")
        }
    }

    /// Advantages, loss, d loss / d logp ([B][T], 0 at masked slots) and metrics.
    public func evaluate() throws -> TRLLossCaseResult {
        let grouped = try Advantages.compute(rewardsPerFunction: rewardsPerFunction, weights: rewardWeights,
                                             groupSize: groupSize, scaling: scaling, aggregation: aggregation)
        let width = mask.first?.count ?? 0
        let flatMask = mask.flatMap { $0 }
        let logProbTensor = Tensor(shape: [flatMask.count], scalars: logProbs.flatMap { $0 })
        logProbTensor.requiresGrad = true
        let batch = PolicyLossBatch(
            logProbs: logProbTensor, oldLogProbs: oldLogProbs?.flatMap { $0 },
            referenceLogProbs: settings.beta != 0 ? referenceLogProbs?.flatMap { $0 } : nil,
            samplerLogProbs: samplerLogProbs?.flatMap { $0 }, entropies: entropies?.flatMap { $0 },
            advantages: grouped.advantages.map(Float.init), lengths: Array(repeating: width, count: mask.count),
            mask: flatMask, itemsInBatch: itemsInBatch ?? Double(flatMask.reduce(0, +)),
            gradientAccumulationSteps: gradientAccumulationSteps, stepsPerGeneration: stepsPerGeneration,
            processCount: processCount)
        let result = try policyLoss(batch, settings: settings)
        result.loss.backward()
        let gradient = logProbTensor.grad?.scalars ?? Array(repeating: 0, count: flatMask.count)
        let rows = (0..<mask.count).map { row in gradient[(row * width) ..< ((row + 1) * width)].map(Double.init) }
        return TRLLossCaseResult(rewards: grouped.rewards, advantages: grouped.advantages,
                                 numItemsInBatch: batch.itemsInBatch, loss: Double(result.loss.scalar),
                                 gradient: rows, metrics: result.metrics,
                                 fracRewardZeroStd: grouped.fracRewardZeroStd)
    }
}

/// What `TRLLossCase.evaluate()` returns.
public struct TRLLossCaseResult {
    public var rewards: [Double]
    public var advantages: [Double]
    public var numItemsInBatch: Double
    public var loss: Double
    /// d loss / d logp, [B][T].
    public var gradient: [[Double]]
    public var metrics: [String: Double]
    public var fracRewardZeroStd: Double

    /// The reply object (`grad_logp` for the gradient; NaN written as null).
    public var json: [String: Any] {
        func number(_ value: Double) -> Any { value.isFinite ? value : NSNull() }
        return ["rewards": rewards.map(number), "advantages": advantages.map(number),
                "num_items_in_batch": numItemsInBatch, "loss": number(loss),
                "grad_logp": gradient.map { $0.map(number) },
                "metrics": metrics.mapValues(number), "frac_reward_zero_std": fracRewardZeroStd]
    }
}

/// A field of a TRL-format loss case that is missing or malformed.
public enum TRLLossCaseError: Error, CustomStringConvertible {
    case field(String, String)

    public var description: String {
        switch self {
        case let .field(name, expected): return "\(name) is missing or malformed; give \(expected)."
        }
    }
}

/// Reads the typed fields of a case's `config` and `inputs`; absent config keys keep their defaults.
private struct FieldReader {
    let config: [String: Any]
    let inputs: [String: Any]

    func number(_ value: inout Double, _ key: String) throws {
        if let number = try optionalNumber(key) { value = number }
    }

    func optionalNumber(_ key: String, inInputs: Bool = false) throws -> Double? {
        let object = inInputs ? inputs : config
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        guard let number = raw as? NSNumber else {
            throw TRLLossCaseError.field("\(inInputs ? "inputs" : "config").\(key)", "a number or null")
        }
        return number.doubleValue
    }

    func integer(_ value: inout Int, _ key: String) throws {
        guard let number = try optionalNumber(key) else { return }
        guard number == number.rounded(), abs(number) < 1e9 else { throw TRLLossCaseError.field("config.\(key)", "an integer") }
        value = Int(number)
    }

    func flag(_ value: inout Bool, _ key: String) throws {
        guard let raw = config[key], !(raw is NSNull) else { return }
        guard let flag = raw as? Bool else { throw TRLLossCaseError.field("config.\(key)", "true or false") }
        value = flag
    }

    func choice<T: RawRepresentable & CaseIterable>(_ value: inout T, _ key: String) throws where T.RawValue == String {
        guard let raw = config[key], !(raw is NSNull) else { return }
        guard let text = raw as? String, let parsed = T(rawValue: text) else {
            throw TRLLossCaseError.field("config.\(key)", "one of " + T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        value = parsed
    }

    func matrix(_ key: String, rows: Int? = nil, width: Int? = nil) throws -> [[Float]] {
        guard let matrix = try optionalMatrix(key, rows: rows, width: width) else {
            throw TRLLossCaseError.field("inputs.\(key)", "a [B][T] array of numbers")
        }
        return matrix
    }

    func optionalMatrix(_ key: String, rows: Int? = nil, width: Int? = nil) throws -> [[Float]]? {
        guard let raw = inputs[key], !(raw is NSNull) else { return nil }
        let shape = rows.map { "a [\($0)][\(width ?? 0)] array of numbers" } ?? "a [B][T] array of numbers, rows of equal length"
        guard let outer = raw as? [Any] else { throw TRLLossCaseError.field("inputs.\(key)", shape) }
        let matrix: [[Float]] = try outer.map { row in
            guard let values = row as? [Any] else { throw TRLLossCaseError.field("inputs.\(key)", shape) }
            return try values.map { value in
                guard let number = value as? NSNumber else { throw TRLLossCaseError.field("inputs.\(key)", shape) }
                return number.floatValue
            }
        }
        let expectedRows = rows ?? matrix.count, expectedWidth = width ?? (matrix.first?.count ?? 0)
        guard matrix.count == expectedRows, matrix.allSatisfy({ $0.count == expectedWidth }) else {
            throw TRLLossCaseError.field("inputs.\(key)", shape)
        }
        return matrix
    }

    func optionalVector(_ key: String) throws -> [Double]? {
        guard let raw = inputs[key], !(raw is NSNull) else { return nil }
        guard let values = raw as? [Any] else { throw TRLLossCaseError.field("inputs.\(key)", "an array of numbers") }
        return try values.map { value in
            guard let number = value as? NSNumber else { throw TRLLossCaseError.field("inputs.\(key)", "an array of numbers") }
            return number.doubleValue
        }
    }

    func rewardTable(_ key: String) throws -> [[Double?]] {
        let expected = "a [B][F] array of numbers or nulls"
        guard let outer = inputs[key] as? [Any] else { throw TRLLossCaseError.field("inputs.\(key)", expected) }
        return try outer.map { row in
            guard let values = row as? [Any] else { throw TRLLossCaseError.field("inputs.\(key)", expected) }
            return try values.map { value in
                if value is NSNull { return nil }
                guard let number = value as? NSNumber else { throw TRLLossCaseError.field("inputs.\(key)", expected) }
                return number.doubleValue
            }
        }
    }
}
