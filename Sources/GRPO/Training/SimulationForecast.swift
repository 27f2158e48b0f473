import Foundation

/// What a full step of a run will cost, extrapolated from simulated steps on a smaller slice
/// (fewer prompts, shorter completions): per-token and per-completion rates measured in the
/// simulation, times the run's own batch sizes and expected completion lengths.
public struct SimulationForecast: Equatable, Sendable {
    /// Forecast seconds per optimizer step of the configured run.
    public var secondsPerStep: Double
    /// Forecast completion tokens generated per optimizer step.
    public var completionTokensPerStep: Double
    /// Forecast seconds per step in each stage (rollout, rewards, reference, forward_backward).
    public var stageSeconds: [String: Double]
    /// The expected completion length used: the measured lengths, with completions that reached
    /// the simulation's cap counted at the run's `maxCompletionLength`.
    public var expectedCompletionLength: Double

    /// Extrapolates `steps`, simulated with completions capped at `simulatedLimit` tokens, to `config`.
    public init(steps: [SimulatedStep], config: GRPOConfig, simulatedLimit: Int) {
        let samples = steps.flatMap(\.completions)
        let count = Double(max(1, samples.count))
        let lengths = samples.map { sample -> Double in
            let reachedCap = sample.isTruncated && simulatedLimit < config.maxCompletionLength
            return Double(reachedCap ? config.maxCompletionLength : sample.completionTokens.count)
        }
        let length = lengths.reduce(0, +) / count
        let promptLength = Double(samples.reduce(0) { $0 + $1.promptTokens.count }) / count
        func total(_ stage: String) -> Double { steps.reduce(0) { $0 + ($1.timings[stage] ?? 0) } }
        let generated = Double(max(1, steps.reduce(0) { $0 + $1.generatedTokens }))
        let trained = Double(max(1, steps.reduce(0) { $0 + $1.trainingTokens }))
        let sampleTokens = Double(max(1, samples.reduce(0) { $0 + $1.promptTokens.count + $1.completionTokens.count }))

        // Completions generated and trained on per optimizer step of the real run.
        let generatedPerStep = Double(config.resolvedGenerationBatchSize * config.gradientAccumulationSteps)
            / Double(max(1, config.microStepsPerGeneration))
        let trainedPerStep = Double(config.perDeviceTrainBatchSize * config.gradientAccumulationSteps)
        var stages: [String: Double] = [:]
        stages["rollout"] = generatedPerStep * length * total("rollout") / generated
        stages["rewards"] = generatedPerStep * total("rewards") / count
        let logProbPasses = total("reference") + total("old")
        if logProbPasses > 0 { stages["reference"] = generatedPerStep * (promptLength + length) * logProbPasses / sampleTokens }
        stages["forward_backward"] = trainedPerStep * (promptLength + length) * total("forward_backward") / trained
        stageSeconds = stages
        secondsPerStep = stages.values.reduce(0, +)
        completionTokensPerStep = generatedPerStep * length
        expectedCompletionLength = length
    }
}
