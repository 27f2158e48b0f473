import Foundation

/// How the per-token losses of a micro-batch become one number (TRL's `loss_type`).
public enum GRPOLossType: String, Codable, CaseIterable, Sendable {
    case grpo, bnpo, drGRPO = "dr_grpo", dapo, cispo, sapo, luspo, vespo
}

/// How rewards are scaled into advantages (TRL's `scale_rewards`): by the group's std, by the
/// whole batch's std (the mean stays per group), or not at all.
public enum RewardScaling: String, Codable, CaseIterable, Sendable {
    case group, batch, none
}

/// How several reward functions combine (TRL's `multi_objective_aggregation`);
/// `normalizeThenSum` is GDPO.
public enum MultiObjectiveAggregation: String, Codable, CaseIterable, Sendable {
    case sumThenNormalize = "sum_then_normalize", normalizeThenSum = "normalize_then_sum"
}

/// Whether the importance ratio is per token or one per sequence (GSPO).
public enum ImportanceSamplingLevel: String, Codable, CaseIterable, Sendable {
    case token, sequence
}

/// Everything the loss needs from the config (TRL 1.16 names and defaults, camelCase).
///
/// Decoding accepts any subset of the keys; a missing key keeps its default.
public struct GRPOLossSettings: Codable, Equatable, Sendable {
    public var lossType: GRPOLossType = .dapo
    /// KL coefficient; 0 needs no reference log-probs.
    public var beta: Double = 0
    /// Lower clip ε (TRL's `epsilon`).
    public var epsilon: Double = 0.2
    /// Upper clip ε; nil means `epsilon`. For cispo it is the ratio cap ε_max.
    public var epsilonHigh: Double? = nil
    /// Two-sided clip (INTELLECT-2): caps the unclipped ratio; nil = off.
    public var delta: Double? = nil
    public var importanceSamplingLevel: ImportanceSamplingLevel = .token
    /// Multiplies the k3 KL term by the (differentiable) importance ratio.
    public var useBiasCorrectionKL: Bool = true
    /// dr_grpo's divisor per sequence.
    public var maxCompletionLength: Int = 512
    public var sapoTemperaturePos = 1.0, sapoTemperatureNeg = 1.05
    public var vespoKPos = 2.0, vespoLambdaPos = 3.0, vespoKNeg = 3.0, vespoLambdaNeg = 2.0
    /// Off-policy sequence masking (DeepSeek-V3.2): drops negative-advantage sequences whose mean
    /// (sampler − current) log-prob exceeds this; nil = off.
    public var offPolicyMaskThreshold: Double? = nil
    /// ρ of "80/20": only tokens whose entropy is in the top ρ fraction get a policy loss;
    /// 1 = off (needs `PolicyLossBatch.entropies` when below 1).
    public var topEntropyQuantile: Double = 1

    public init() {}

    /// The upper clip ε actually used.
    public var resolvedEpsilonHigh: Double { epsilonHigh ?? epsilon }

    private enum CodingKeys: String, CodingKey {
        case lossType, beta, epsilon, epsilonHigh, delta, importanceSamplingLevel, useBiasCorrectionKL
        case maxCompletionLength, sapoTemperaturePos, sapoTemperatureNeg
        case vespoKPos, vespoLambdaPos, vespoKNeg, vespoLambdaNeg, offPolicyMaskThreshold, topEntropyQuantile
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var settings = GRPOLossSettings()
        func read<T: Decodable>(_ key: CodingKeys, into value: inout T) throws {
            if let decoded = try container.decodeIfPresent(T.self, forKey: key) { value = decoded }
        }
        try read(.lossType, into: &settings.lossType)
        try read(.beta, into: &settings.beta)
        try read(.epsilon, into: &settings.epsilon)
        settings.epsilonHigh = try container.decodeIfPresent(Double.self, forKey: .epsilonHigh)
        settings.delta = try container.decodeIfPresent(Double.self, forKey: .delta)
        try read(.importanceSamplingLevel, into: &settings.importanceSamplingLevel)
        try read(.useBiasCorrectionKL, into: &settings.useBiasCorrectionKL)
        try read(.maxCompletionLength, into: &settings.maxCompletionLength)
        try read(.sapoTemperaturePos, into: &settings.sapoTemperaturePos)
        try read(.sapoTemperatureNeg, into: &settings.sapoTemperatureNeg)
        try read(.vespoKPos, into: &settings.vespoKPos)
        try read(.vespoLambdaPos, into: &settings.vespoLambdaPos)
        try read(.vespoKNeg, into: &settings.vespoKNeg)
        try read(.vespoLambdaNeg, into: &settings.vespoLambdaNeg)
        settings.offPolicyMaskThreshold = try container.decodeIfPresent(Double.self, forKey: .offPolicyMaskThreshold)
        try read(.topEntropyQuantile, into: &settings.topEntropyQuantile)
        self = settings
    }

    /// Throws `GRPOLossError.invalidSetting` when a value makes the loss meaningless.
    public func validate() throws {
        func require(_ condition: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            if !condition { throw GRPOLossError.invalidSetting(name: name, value: "\(value)", expected: expected) }
        }
        try require(beta.isFinite && beta >= 0, "beta", beta, "a finite number ≥ 0")
        try require(epsilon.isFinite && epsilon >= 0, "epsilon", epsilon, "a finite number ≥ 0")
        try require(resolvedEpsilonHigh.isFinite && resolvedEpsilonHigh >= 0, "epsilonHigh", resolvedEpsilonHigh,
                    "a finite number ≥ 0 (or nil for epsilon)")
        if let delta { try require(delta.isFinite && delta > 0, "delta", delta, "a finite number > 0, usually > 1 + epsilon") }
        try require(maxCompletionLength >= 1, "maxCompletionLength", maxCompletionLength, "at least 1")
        try require(sapoTemperaturePos > 0 && sapoTemperatureNeg > 0, "sapoTemperaturePos/Neg",
                    "\(sapoTemperaturePos)/\(sapoTemperatureNeg)", "numbers > 0")
        try require([vespoKPos, vespoLambdaPos, vespoKNeg, vespoLambdaNeg].allSatisfy(\.isFinite), "vespo k/lambda",
                    "\(vespoKPos), \(vespoLambdaPos), \(vespoKNeg), \(vespoLambdaNeg)", "finite numbers")
        if let threshold = offPolicyMaskThreshold {
            try require(!threshold.isNaN, "offPolicyMaskThreshold", threshold, "a number (or nil for off)")
        }
        try require(topEntropyQuantile > 0 && topEntropyQuantile <= 1, "topEntropyQuantile", topEntropyQuantile, "a number in (0, 1]")
    }
}
