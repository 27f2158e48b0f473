import Foundation

/// Scores completions with every reward (fault isolated) and turns the scores into advantages
/// with TRL's formulas.
struct RewardScoring {
    let runner: RewardRunner
    let weights: [Double]
    let groupSize: Int
    let scaling: RewardScaling
    let aggregation: MultiObjectiveAggregation

    /// Fills each sample's `rewards` (per function); `rows[i]` is the dataset row of sample i.
    func score(_ samples: inout [CompletionSample], rows: [DatasetRow]) throws {
        let batch = try RewardBatch(prompts: samples.map(\.prompt), completions: samples.map(\.completion),
                                    rows: rows, completionIDs: samples.map(\.completionTokens))
        let scores = runner.score(batch)
        for index in samples.indices {
            samples[index].rewards = scores.scores.map { $0[index] }
        }
    }

    /// Fills `reward` and `advantage` of every sample from its `rewards` (groups of G consecutive samples).
    @discardableResult
    func assignAdvantages(_ samples: inout [CompletionSample]) throws -> GroupAdvantages {
        let result = try Advantages.compute(rewardsPerFunction: samples.map(\.rewards), weights: weights,
                                            groupSize: groupSize, scaling: scaling, aggregation: aggregation)
        for index in samples.indices {
            samples[index].reward = result.rewards[index]
            samples[index].advantage = result.advantages[index]
        }
        return result
    }

    /// TRL's reward and completion metrics for a scored generation batch.
    func metrics(_ samples: [CompletionSample], advantages: GroupAdvantages, names: [String]) -> [String: Double] {
        var values: [String: Double] = [:]
        values["reward"] = SampleStatistics.mean(advantages.rewards)
        values["reward_std"] = SampleStatistics.std(advantages.rewards)
        values["frac_reward_zero_std"] = advantages.fracRewardZeroStd
        for (index, name) in names.enumerated() {
            let column = samples.map { $0.rewards[index] ?? .nan }
            values["rewards/\(name)/mean"] = SampleStatistics.mean(column)
            values["rewards/\(name)/std"] = SampleStatistics.std(column)
        }
        let lengths = samples.map { Double($0.completionTokens.count) }
        let terminated = samples.filter { !$0.isTruncated }.map { Double($0.completionTokens.count) }
        values["completions/mean_length"] = SampleStatistics.mean(lengths)
        values["completions/min_length"] = lengths.min() ?? 0
        values["completions/max_length"] = lengths.max() ?? 0
        values["completions/mean_terminated_length"] = terminated.isEmpty ? 0 : SampleStatistics.mean(terminated)
        values["completions/min_terminated_length"] = terminated.min() ?? 0
        values["completions/max_terminated_length"] = terminated.max() ?? 0
        values["completions/clipped_ratio"] = samples.isEmpty ? 0
            : Double(samples.filter(\.isTruncated).count) / Double(samples.count)
        if samples.contains(where: { $0.guidePrompt != nil }) {
            // Guided rollouts: is the model's own sampling catching up with the guided samples?
            values["guidance/reward_guided"] = SampleStatistics.mean(samples.filter { $0.guidePrompt != nil }.map(\.reward))
            values["guidance/reward_own_prompt"] = SampleStatistics.mean(samples.filter { $0.guidePrompt == nil }.map(\.reward))
        }
        return values
    }
}
