import Foundation

/// Watches the metrics of a run for GRPO's known failure modes and says, in plain words, the
/// likely cause and the GRPOConfig field to change: no learning signal for several steps, reward
/// rising while completions collapse (to a few tokens, or to copies of one text), most
/// completions hitting the length limit, KL or grad-norm spikes, and updates skipped for
/// non-finite losses. A kind of warning is not repeated within `cooldownSteps` steps.
public struct TrainingHealth {
    /// The run's settings (named in the messages).
    public var config: GRPOConfig
    /// Consecutive steps with `frac_reward_zero_std` = 1 before warning.
    public var zeroVarianceSteps = 3
    /// Mean completion length (tokens) at or below which completions count as collapsed.
    public var collapsedLength = 8.0
    /// Share of completions cut at `maxCompletionLength` from which to warn.
    public var clippedShare = 0.5
    /// A KL or grad norm this many times the running median of the steps before is a spike.
    public var spikeFactor = 5.0
    /// Steps before the current one whose median a spike is measured against (at least 5 needed).
    public var spikeWindow = 20
    /// Share of a group's completions that are one identical text from which the group counts as collapsed.
    public var identicalShare = 0.75
    /// Steps during which a warning of the same kind is not repeated.
    public var cooldownSteps = 20

    /// Every step observed so far.
    public private(set) var history: [StepMetrics] = []
    private var lastWarned: [String: Int] = [:]

    public init(config: GRPOConfig = GRPOConfig()) {
        self.config = config
    }

    /// The warnings raised over `history`, replayed step by step (`lastCompletions` belong to its last step).
    public static func warnings(history: [StepMetrics], lastCompletions: [CompletionSample] = [],
                                config: GRPOConfig = GRPOConfig()) -> [TrainerWarning] {
        var health = TrainingHealth(config: config)
        var warnings: [TrainerWarning] = []
        for (index, metrics) in history.enumerated() {
            warnings += health.observe(metrics, completions: index == history.count - 1 ? lastCompletions : [])
        }
        return warnings
    }

    /// Records one finished step (with its generation batch, when known) and returns the warnings it raises.
    public mutating func observe(_ metrics: StepMetrics, completions: [CompletionSample] = []) -> [TrainerWarning] {
        history.append(metrics)
        let found = [zeroVariance(), lengthCollapse(), identicalCompletions(completions), lengthLimit(),
                     spike("kl"), spike("grad_norm"), skippedUpdate()].compactMap { $0 }
        var raised: [TrainerWarning] = []
        for (kind, message) in found {
            if let last = lastWarned[kind], metrics.step - last < cooldownSteps { continue }
            lastWarned[kind] = metrics.step
            raised.append(TrainerWarning(kind: kind, step: metrics.step, message: message))
        }
        return raised
    }

    /// Notes a warning raised elsewhere (the trainer's own `zero_std_rewards` or `skipped_update`):
    /// it starts that kind's cooldown, so the same news is not shown twice.
    public mutating func record(_ warning: TrainerWarning) {
        lastWarned[warning.kind] = max(lastWarned[warning.kind] ?? warning.step, warning.step)
    }

    // MARK: - Detectors (each looks at `history`, whose last entry is the new step)

    private func zeroVariance() -> (String, String)? {
        let recent = history.suffix(zeroVarianceSteps)
        guard recent.count == zeroVarianceSteps, recent.allSatisfy({ ($0["frac_reward_zero_std"] ?? 0) >= 1 }) else { return nil }
        return ("zero_std_rewards",
                "For \(zeroVarianceSteps) steps every group's \(config.numGenerations) completions got the same reward "
                + "(frac_reward_zero_std = 1), so every advantage is 0 and nothing is learned. Likely cause: the task is too "
                + "hard or too easy for the model, or a reward that returns a constant. Try a reward with partial credit, more "
                + "numGenerations (now \(config.numGenerations)), a higher temperature (now \(NumberText.compact(config.temperature))), "
                + "or dynamicSampling: true.")
    }

    private func lengthCollapse() -> (String, String)? {
        guard history.count >= 6 else { return nil }
        let earlyCount = max(2, history.count / 4)
        let early = history.prefix(earlyCount), recent = history.suffix(3)
        guard let earlyLength = mean(early, "completions/mean_length"), let recentLength = mean(recent, "completions/mean_length"),
              let earlyReward = mean(early, "reward"), let recentReward = mean(recent, "reward"),
              recentLength <= collapsedLength, earlyLength >= 2 * recentLength, recentReward > earlyReward else { return nil }
        return ("length_collapse",
                "Reward rose (\(NumberText.compact(earlyReward)) → \(NumberText.compact(recentReward))) while completions shrank "
                + "to \(NumberText.compact(recentLength)) tokens on average (from \(NumberText.compact(earlyLength))): the policy "
                + "is likely gaming a reward that pays for short or empty answers. Check the completions, make that reward "
                + "require the full format, and consider a larger beta (now \(NumberText.compact(config.beta))) or a lower "
                + "learningRate (now \(NumberText.compact(config.learningRate))).")
    }

    private func identicalCompletions(_ completions: [CompletionSample]) -> (String, String)? {
        let groups = CompletionGroup.groups(of: completions, groupSize: config.numGenerations).filter { $0.samples.count >= 3 }
        guard !groups.isEmpty else { return nil }
        let collapsed = groups.filter { group in
            let share = group.largestIdenticalShare
            return share.count >= 2 && share.fraction >= identicalShare
        }
        guard Double(collapsed.count) > Double(groups.count) / 2 else { return nil }
        let rising = rewardRising
        return ("identical_completions",
                "In \(collapsed.count) of \(groups.count) groups most completions are the same text"
                + (rising ? " while the reward rises: the policy is collapsing onto one answer (mode collapse). " : ": sampling has little diversity. ")
                + "Identical completions get identical rewards, so these groups teach nothing. Raise temperature (now "
                + "\(NumberText.compact(config.temperature))), lower learningRate (now \(NumberText.compact(config.learningRate))), "
                + "or keep the policy nearer the reference with a larger beta (now \(NumberText.compact(config.beta))).")
    }

    private func lengthLimit() -> (String, String)? {
        guard let clipped = history.last?["completions/clipped_ratio"], clipped >= clippedShare else { return nil }
        return ("length_limit",
                "\(Int((clipped * 100).rounded()))% of completions were cut at maxCompletionLength (\(config.maxCompletionLength) "
                + "tokens): their rewards judge unfinished answers. Raise maxCompletionLength, ask for shorter answers in the "
                + "prompt or reward brevity, or set maskTruncatedCompletions: true to leave cut completions out of the loss.")
    }

    private func spike(_ name: String) -> (String, String)? {
        guard let value = history.last?[name], value.isFinite else { return nil }
        let before = history.dropLast().suffix(spikeWindow).compactMap { $0[name] }.filter(\.isFinite)
        guard before.count >= 5 else { return nil }
        let median = before.sorted()[before.count / 2]
        let floor = 1e-3  // below this a jump from near zero is noise, not a spike
        guard value > spikeFactor * max(median, floor) else { return nil }
        let head = "\(name) jumped to \(NumberText.compact(value)), \(NumberText.compact(value / max(median, floor)))× its recent "
            + "median (\(NumberText.compact(median))). "
        if name == "kl" {
            return ("kl_spike", head + "The policy moved far from the reference in one step; likely the learning rate is too high "
                + "for this reward scale. Lower learningRate (now \(NumberText.compact(config.learningRate))) or raise beta "
                + "(now \(NumberText.compact(config.beta))) to hold the policy nearer the reference.")
        }
        return ("grad_norm_spike", head + "One batch pushed much harder than the others (outlier rewards or a few very long "
            + "completions). Gradients are clipped at maxGradNorm (now \(NumberText.compact(config.maxGradNorm))); lower it or "
            + "learningRate (now \(NumberText.compact(config.learningRate))) if spikes repeat or the reward drops after one.")
    }

    private func skippedUpdate() -> (String, String)? {
        guard let current = history.last?["skipped_updates"] else { return nil }
        let previous = history.dropLast().last?["skipped_updates"] ?? 0
        guard current > previous else { return nil }
        return ("skipped_update",
                "The loss or gradients were not finite, so the update was skipped (\(Int(current)) skipped so far). Likely "
                + "cause: a reward returning huge or non-finite values, or a learning rate that blew up the adapter. Check the "
                + "reward functions' outputs, lower learningRate (now \(NumberText.compact(config.learningRate))) and keep "
                + "maxGradNorm (now \(NumberText.compact(config.maxGradNorm))) above 0.")
    }

    // MARK: - Helpers

    /// Whether the mean reward of the last three steps is above that of the first quarter of the run.
    private var rewardRising: Bool {
        guard history.count >= 4 else { return false }
        let early = history.prefix(max(2, history.count / 4)), recent = history.suffix(3)
        guard let before = mean(early, "reward"), let now = mean(recent, "reward") else { return false }
        return now > before
    }

    private func mean(_ entries: ArraySlice<StepMetrics>, _ name: String) -> Double? {
        let values = entries.compactMap { $0[name] }.filter(\.isFinite)
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
