import Foundation
import GRPO
import LLM

/// `trainer.simulate()`: the real step on a small slice, without the update, and a forecast of the
/// configured run from what it measured.
extension TrainerBindings {
    /// The simulation's default completion cap: long enough to see the format, short enough that
    /// two steps of the default model and config finish well within a minute.
    static let simulatedCompletionLength = 32
    /// The most prompts per simulated step (the forecast scales to the configured batch).
    static let simulatedPrompts = 2

    /// Runs `steps` simulated steps on a trainer that shares the adapter but has its own optimizer
    /// (never stepped) and a sliced config: at most `simulatedPrompts` prompts per step, completions
    /// capped, one micro-batch.
    static func simulate(_ object: TrainerObject, _ call: NativeCall) throws -> Value {
        let trainer = object.trainer
        guard !trainer.isMidStep else {
            throw call.error("an interrupted step is half done (its gradients are accumulated); finish it with train(steps: 1) "
                             + "before simulating")
        }
        let steps = try call.int("steps")
        guard steps >= 1 else { throw call.error("steps is \(steps); simulate at least 1 step") }
        let real = trainer.config
        let cap = try call.optional("maxCompletionLength").map {
            try Convert.int($0, or: call.error("maxCompletionLength must be an Int"))
        } ?? simulatedCompletionLength
        guard cap >= 1 else { throw call.error("maxCompletionLength is \(cap); use at least 1") }
        let prompts = max(1, min(real.promptsPerGeneration, simulatedPrompts))
        var slice = real
        slice.maxCompletionLength = min(cap, real.maxCompletionLength)
        slice.generationBatchSize = nil
        slice.stepsPerGeneration = nil
        slice.perDeviceTrainBatchSize = prompts * real.numGenerations
        slice.gradientAccumulationSteps = 1
        slice.numIterations = 1
        slice.dynamicSampling = false
        slice.maxSteps = steps
        slice.saveSteps = 0
        let simulator = try GRPOTrainer(model: trainer.model, rewards: object.rewards, config: slice, dataset: trainer.dataset,
                                        adapter: trainer.adapter, promptColumn: trainer.rollout.promptColumn)
        let context = call.context
        PeakMemory.reset()
        var results: [SimulatedStep] = []
        for _ in 0 ..< steps {
            guard let step = try simulator.simulateStep(isCancelled: { context.interrupt.isRequested }) else { break }
            results.append(step)
        }
        try context.checkInterrupt()
        let forecast = SimulationForecast(steps: results, config: real, simulatedLimit: slice.maxCompletionLength)
        let summary = SimulationSummary(stepsRun: results.count, secondsPerStep: forecast.secondsPerStep,
                                        plannedSteps: trainer.totalSteps, peakMemoryBytes: PeakMemory.bytes,
                                        tokensPerStep: forecast.completionTokensPerStep, stageSeconds: forecast.stageSeconds,
                                        samples: results.flatMap(\.completions), rewardNames: object.rewardNames,
                                        groupSize: real.numGenerations, maxCompletionLength: slice.maxCompletionLength)
        let seconds = results.reduce(0) { $0 + $1.seconds }
        var note = "Measured on \(results.count) step\(results.count == 1 ? "" : "s") of \(prompts) prompt\(prompts == 1 ? "" : "s") × "
            + "\(real.numGenerations) completions"
            + (slice.maxCompletionLength < real.maxCompletionLength
                ? ", completions capped at \(slice.maxCompletionLength) tokens (the run allows \(real.maxCompletionLength))" : "")
            + String(format: ", in %.1f s. ", seconds)
            + "The forecast scales the measured rates to the run's \(real.perDeviceTrainBatchSize * real.gradientAccumulationSteps) "
            + "completions per step"
            + (slice.maxCompletionLength < real.maxCompletionLength
                ? String(format: ", counting completions that reached the cap at %d tokens (expected length %.0f tokens)",
                         real.maxCompletionLength, forecast.expectedCompletionLength) : "")
            + ". No optimizer update was made; the adapter is unchanged."
        let warnings = results.flatMap(\.warnings)
        if !warnings.isEmpty { note += " Warnings: " + warnings.map(\.message).joined(separator: " | ") }
        return .object(SimulationObject(summary: summary, steps: results, sliceNote: note, model: trainer.model))
    }
}
