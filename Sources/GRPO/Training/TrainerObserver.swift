/// Something to tell when the problem is worth a look (the notebook shows these beside the plots).
public struct TrainerWarning: Equatable, Sendable, CustomStringConvertible {
    /// A stable identifier, e.g. `zero_std_rewards`, `skipped_update`, `reward_faults`.
    public var kind: String
    public var step: Int
    public var message: String

    public var description: String { "step \(step): \(message)" }
}

/// Receives the trainer's progress: the notebook display, the terminal progress line, tests.
/// Every method has an empty default.
public protocol TrainerObserver: AnyObject {
    /// Optimizer step `step` (1-based) begins.
    func trainerWillStartStep(_ step: Int, of totalSteps: Int)
    /// A generation batch was sampled and scored (rewards and advantages filled in).
    func trainerDidGenerate(_ completions: [CompletionSample], step: Int)
    /// A step finished; `metrics` were appended to the log.
    func trainerDidFinishStep(_ metrics: StepMetrics)
    /// Something looks wrong.
    func trainerDidWarn(_ warning: TrainerWarning)
    /// A checkpoint was written to `folder`.
    func trainerDidSaveCheckpoint(_ folder: String, step: Int)
}

extension TrainerObserver {
    public func trainerWillStartStep(_ step: Int, of totalSteps: Int) {}
    public func trainerDidGenerate(_ completions: [CompletionSample], step: Int) {}
    public func trainerDidFinishStep(_ metrics: StepMetrics) {}
    public func trainerDidWarn(_ warning: TrainerWarning) {}
    public func trainerDidSaveCheckpoint(_ folder: String, step: Int) {}
}
