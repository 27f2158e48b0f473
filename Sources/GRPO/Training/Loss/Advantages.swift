import Foundation

/// Rewards turned into advantages for a generation batch (TRL's `_generate_and_score_completions`).
public struct GroupAdvantages: Sendable {
    /// Aggregated reward per completion (NaN when unscorable). For GDPO it is the weighted sum of
    /// the per-function group z-scores, before the batch normalisation.
    public var rewards: [Double]
    public var advantages: [Double]
    /// Per completion: the std used (group std, or the global one for `batch` scaling and GDPO).
    public var std: [Double]
    public var isStdZero: [Bool]
    /// Fraction of completions whose std is 0 (TRL's `frac_reward_zero_std`).
    public var fracRewardZeroStd: Double

    public init(rewards: [Double], advantages: [Double], std: [Double], isStdZero: [Bool]) {
        self.rewards = rewards
        self.advantages = advantages
        self.std = std
        self.isStdZero = isStdZero
        fracRewardZeroStd = isStdZero.isEmpty ? 0 : Double(isStdZero.filter { $0 }.count) / Double(isStdZero.count)
    }
}

/// Group-relative advantages, exactly as TRL 1.16 computes them.
public enum Advantages {
    /// The small number added to every std before dividing.
    public static let stdEpsilon = 1e-4

    /// Advantages of consecutive groups of `groupSize` completions.
    ///
    /// `rewardsPerFunction[completion][function]`; nil (or NaN) = that function does not apply (TRL's
    /// None). A completion no function scores gets advantage 0 and is left out of its group's mean and std.
    public static func compute(rewardsPerFunction: [[Double?]], weights: [Double], groupSize: Int,
                               scaling: RewardScaling, aggregation: MultiObjectiveAggregation) throws -> GroupAdvantages {
        let count = rewardsPerFunction.count, functions = weights.count
        guard count > 0 else { throw GRPOLossError.emptyBatch }
        guard groupSize >= 1, count % groupSize == 0 else {
            throw GRPOLossError.groupSizeDoesNotDivide(completions: count, groupSize: groupSize)
        }
        if let bad = weights.first(where: { !$0.isFinite }) {
            throw GRPOLossError.invalidSetting(name: "reward weight", value: "\(bad)", expected: "finite numbers")
        }
        var table = [[Double]]()
        table.reserveCapacity(count)
        for (row, values) in rewardsPerFunction.enumerated() {
            guard values.count == functions else {
                throw GRPOLossError.rewardRowWidth(row: row, count: values.count, expected: functions)
            }
            table.append(values.map { $0 ?? .nan })
        }
        let unscorable = table.map { $0.allSatisfy(\.isNaN) }
        let groups = stride(from: 0, to: count, by: groupSize).map { $0 ..< $0 + groupSize }

        var rewards: [Double], advantages: [Double], std: [Double]
        switch aggregation {
        case .sumThenNormalize:
            rewards = weightedSums(table, weights: weights, unscorable: unscorable)
            let groupMeans = groups.map { NaNStatistics.mean(rewards[$0]) }
            switch scaling {
            case .group, .none:
                let groupStds = groups.map { groupSize > 1 ? NaNStatistics.standardDeviation(rewards[$0]) : 0 }
                std = (0..<count).map { groupStds[$0 / groupSize] }
            case .batch:
                std = Array(repeating: count > 1 ? NaNStatistics.standardDeviation(rewards) : 0, count: count)
            }
            advantages = (0..<count).map { index in
                let centred = rewards[index] - groupMeans[index / groupSize]
                return scaling == .none ? centred : centred / (std[index] + stdEpsilon)
            }
        case .normalizeThenSum:
            var scores = table
            for group in groups {
                for function in 0..<functions {
                    let column = group.map { table[$0][function] }
                    let mean = NaNStatistics.mean(column)
                    let spread = groupSize > 1 ? NaNStatistics.standardDeviation(column) : 0
                    for index in group { scores[index][function] = (table[index][function] - mean) / (spread + stdEpsilon) }
                }
            }
            rewards = weightedSums(scores, weights: weights, unscorable: unscorable)
            let globalStd = count > 1 ? NaNStatistics.standardDeviation(rewards) : 0
            let globalMean = NaNStatistics.mean(rewards)
            std = Array(repeating: globalStd, count: count)
            advantages = rewards.map { ($0 - globalMean) / (globalStd + stdEpsilon) }
        }
        advantages = advantages.map { $0.isNaN ? 0 : $0 }
        return GroupAdvantages(rewards: rewards, advantages: advantages, std: std,
                               isStdZero: std.map(NaNStatistics.isCloseToZero))
    }

    /// Σ_f weight_f · value_f over the values that are not NaN; NaN for unscorable rows.
    private static func weightedSums(_ table: [[Double]], weights: [Double], unscorable: [Bool]) -> [Double] {
        table.indices.map { row in
            unscorable[row] ? .nan : NaNStatistics.sum(zip(table[row], weights).map { $0 * $1 })
        }
    }
}
