import Foundation
import Tensor

/// One generation batch taken through the real step — rollout, rewards, advantages, reference
/// log-probs, the loss and its gradients — without the optimizer update.
public struct SimulatedStep: Sendable {
    /// The completions grouped by prompt, with per-reward scores and advantages.
    public var completions: [CompletionSample]
    /// The step's metrics under the names a real step logs (`reward`, `frac_reward_zero_std`,
    /// `kl`, `loss`, `grad_norm`, …), minus the ones only an update gives (`learning_rate`).
    public var metrics: [String: Double]
    /// Seconds per stage (rollout, rewards, reference, old, forward_backward).
    public var timings: [String: Double]
    /// Seconds the whole simulated step took.
    public var seconds: Double
    /// Completion tokens sampled.
    public var generatedTokens: Int
    /// Prompt and completion tokens the loss was computed over.
    public var trainingTokens: Int
    /// Warnings the step raised (zero-variance groups, reward faults, non-finite loss).
    public var warnings: [TrainerWarning]

    public init(completions: [CompletionSample], metrics: [String: Double], timings: [String: Double], seconds: Double,
                generatedTokens: Int, trainingTokens: Int, warnings: [TrainerWarning] = []) {
        self.completions = completions
        self.metrics = metrics
        self.timings = timings
        self.seconds = seconds
        self.generatedTokens = generatedTokens
        self.trainingTokens = trainingTokens
        self.warnings = warnings
    }
}

extension GRPOTrainer {
    /// Runs the next generation batch through rollout, rewards, advantages, the loss and the
    /// backward pass of every micro-batch of one optimizer step, measures the gradient norm, and
    /// throws the gradients away: the adapter's values and the optimizer do not change. The prompt
    /// order and RNG streams advance as a real step's would. Nil when interrupted.
    public func simulateStep(isCancelled: () -> Bool = { false }) throws -> SimulatedStep? {
        guard partial == nil else {
            throw TrainerError.stepInProgress("An interrupted step holds accumulated gradients; finish it with train() "
                + "or step() before simulating.")
        }
        let collector = WarningCollector()
        let savedObservers = observers
        observers = [collector]
        partial = PartialStep()
        defer {
            observers = savedObservers
            partial = nil
            adapter.zeroGradients()
        }
        let started = Date()
        guard let buffer = try makeRolloutBuffer(isCancelled: isCancelled) else { return nil }
        let microBatches = min(buffer.microBatches.count, config.gradientAccumulationSteps)
        for index in 0 ..< microBatches {
            if isCancelled() { return nil }
            try accumulateGradients(buffer, microBatch: index)
        }
        let norm = clipGradientNorm(adapter.parameters, maxNorm: .infinity)
        guard let done = partial else { return nil }
        var metrics = buffer.metrics
        for (name, value) in done.accumulator.means { metrics[name] = value }
        metrics["loss"] = done.loss
        metrics["grad_norm"] = Double(norm)
        if done.nonFiniteLoss || !norm.isFinite {
            collector.warnings.append(TrainerWarning(kind: "skipped_update", step: state.step + 1,
                message: "The loss or the gradients were not finite (loss \(done.loss), grad norm \(norm)); a real step "
                    + "would skip this update. Check the rewards and lower learningRate if it repeats."))
        }
        let used = buffer.microBatches.prefix(microBatches).flatMap { $0 }.map { buffer.samples[$0] }
        return SimulatedStep(completions: done.generated ?? buffer.samples, metrics: metrics, timings: done.timings,
                             seconds: Date().timeIntervalSince(started),
                             generatedTokens: buffer.samples.reduce(0) { $0 + $1.completionTokens.count },
                             trainingTokens: used.reduce(0) { $0 + $1.promptTokens.count + $1.completionTokens.count },
                             warnings: collector.warnings)
    }
}

/// Keeps the warnings of a simulated step instead of showing them.
private final class WarningCollector: TrainerObserver {
    var warnings: [TrainerWarning] = []
    func trainerDidWarn(_ warning: TrainerWarning) { warnings.append(warning) }
}
