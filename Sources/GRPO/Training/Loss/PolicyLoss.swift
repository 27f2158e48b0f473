import Tensor

/// The GRPO loss of one micro-batch.
public struct PolicyLoss {
    /// Scalar; `backward()` sends d loss / d logProbs into `batch.logProbs`.
    public var loss: Tensor
    /// TRL's logged names: kl, entropy, clip_ratio/low_mean, low_min, high_mean, high_max,
    /// region_mean, cispo_clip_ratio, vespo/phi_seq_mean (those that apply to the loss type).
    public var metrics: [String: Double]

    public init(loss: Tensor, metrics: [String: Double]) {
        self.loss = loss
        self.metrics = metrics
    }
}

/// TRL 1.16's `_compute_loss` for one packed micro-batch, as ONE op on the tape: the forward
/// computes every token's loss (in Double) and aggregates it; the backward adds the hand-derived
/// d loss / d logp of every slot into `batch.logProbs`'s gradient (0 at masked slots).
///
/// Not covered (TRL options the trainer does not use): the entropy bonus, vLLM importance-sampling
/// correction and MoE auxiliary losses.
public func policyLoss(_ batch: PolicyLossBatch, settings: GRPOLossSettings) throws -> PolicyLoss {
    try batch.validate(for: settings)
    let computation = PolicyLossComputation(batch: batch, settings: settings)
    let recording = Tensor.isRecording([batch.logProbs])
    let (value, gradient) = computation.evaluate(withGradient: recording)
    let loss = Tensor(scalar: Float(value))
    if let gradient {
        let logProbs = batch.logProbs
        Tensor.record(loss, inputs: [logProbs]) { outputGradient in
            let scale = Double(outputGradient.scalars[0])
            logProbs.withGradient { target in
                for slot in 0..<target.count where gradient[slot] != 0 { target[slot] += Float(scale * gradient[slot]) }
            }
        }
    }
    return PolicyLoss(loss: loss, metrics: computation.metrics(entropies: batch.entropies))
}
