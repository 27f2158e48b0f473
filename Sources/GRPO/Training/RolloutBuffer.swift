import Foundation
import LLM

/// One generation batch ready for training: scored completions in shuffled order, their loss
/// masks, the reference and old log-probs computed at generation time, and how the batch is cut
/// into micro-batches. Kept between steps when `stepsPerGeneration` or `numIterations` reuse it,
/// and saved in checkpoints so a resumed run trains on the same data.
public struct RolloutBuffer: Codable, Sendable {
    /// The completions, shuffled (TRL shuffles the generation batch before splitting it).
    public var samples: [CompletionSample]
    /// Sample indices of each micro-batch.
    public var microBatches: [[Int]]
    /// Per sample, 1 or 0 per completion token (0 for truncated ones with `maskTruncatedCompletions`).
    public var masks: [[Float]]
    /// Per sample, the adapter-disabled log-probs (beta ≠ 0).
    public var referenceLogProbs: [[Float]]?
    /// Per sample, the policy's log-probs at generation time (when the policy moves before they are used).
    public var oldLogProbs: [[Float]]?
    /// Active completion tokens in the whole batch (the dapo family's normaliser).
    public var activeTokens: Double
    /// Reward and completion metrics of the batch.
    public var metrics: [String: Double]
    /// The generation round that produced it.
    public var generation: Int
}
