/// What a short simulated run measured and what it forecasts for the full run: filled by the
/// notebook's `simulate()` and rendered by `SimulationReport`.
public struct SimulationSummary {
    /// Steps actually run (rollouts, rewards, loss and gradients, no update).
    public var stepsRun: Int
    /// Wall-clock seconds per step, measured.
    public var secondsPerStep: Double
    /// Steps the configured run will take (`maxSteps`, or what the epochs come to).
    public var plannedSteps: Int
    /// The largest resident memory seen, in bytes (nil when not measured).
    public var peakMemoryBytes: Double?
    /// Completion tokens generated per step, measured.
    public var tokensPerStep: Double
    /// Seconds per step in each stage (`rollout`, `rewards`, `reference`, `forward_backward`, …).
    public var stageSeconds: [String: Double]
    /// The last simulated generation batch, in group order.
    public var samples: [CompletionSample]
    /// Reward function names, in the order of each sample's `rewards`.
    public var rewardNames: [String]
    /// G, the completions per prompt.
    public var groupSize: Int
    /// The completions' length limit (`maxCompletionLength`).
    public var maxCompletionLength: Int

    public init(stepsRun: Int, secondsPerStep: Double, plannedSteps: Int, peakMemoryBytes: Double?, tokensPerStep: Double,
                stageSeconds: [String: Double] = [:], samples: [CompletionSample], rewardNames: [String], groupSize: Int,
                maxCompletionLength: Int) {
        self.stepsRun = stepsRun
        self.secondsPerStep = secondsPerStep
        self.plannedSteps = plannedSteps
        self.peakMemoryBytes = peakMemoryBytes
        self.tokensPerStep = tokensPerStep
        self.stageSeconds = stageSeconds
        self.samples = samples
        self.rewardNames = rewardNames
        self.groupSize = groupSize
        self.maxCompletionLength = maxCompletionLength
    }

    /// Forecast seconds for all planned steps.
    public var forecastSeconds: Double { secondsPerStep * Double(max(0, plannedSteps)) }

    /// Forecast completion tokens for all planned steps.
    public var forecastTokens: Double { tokensPerStep * Double(max(0, plannedSteps)) }

    /// The groups of `samples`.
    public var groups: [CompletionGroup] { CompletionGroup.groups(of: samples, groupSize: groupSize) }

    /// Reward functions whose score was the same for every sample (or never given): they add
    /// nothing to the advantages.
    public var constantRewards: [(name: String, value: Double?)] {
        rewardNames.enumerated().compactMap { index, name in
            let scores = samples.map { index < $0.rewards.count ? $0.rewards[index] : nil }
            let given = scores.compactMap { $0 }.filter(\.isFinite)
            guard !samples.isEmpty else { return nil }
            if given.isEmpty { return (name, nil) }
            return given.count == scores.count && given.allSatisfy({ $0 == given[0] }) ? (name, given[0]) : nil
        }
    }

    /// Share of completions that stopped at `maxCompletionLength`.
    public var truncatedFraction: Double {
        samples.isEmpty ? 0 : Double(samples.filter(\.isTruncated).count) / Double(samples.count)
    }
}
