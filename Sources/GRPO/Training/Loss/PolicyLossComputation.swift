import Foundation

/// The forward and the hand-derived backward of the GRPO policy loss over one packed micro-batch,
/// in Double. Masked slots contribute nothing and get gradient 0.
struct PolicyLossComputation {
    let settings: GRPOLossSettings
    let ranges: [Range<Int>]
    let mask: [Bool]
    /// Current log-probs x, and the old ones (x itself on-policy).
    let logProbs: [Double]
    let oldLogProbs: [Double]
    let advantages: [Double]
    /// Active slots per sequence.
    let activeCounts: [Int]
    /// Importance ratio per slot (a sequence's one ratio repeated at sequence level).
    let ratios: [Double]
    /// At sequence level, each sequence's ratio (1 for a sequence without active tokens).
    let sequenceRatios: [Double]
    /// 1, or 0 for sequences dropped by off-policy masking.
    let keep: [Double]
    /// Per slot: 1, or 0 for active tokens below the entropy quantile.
    let entropyKeep: [Double]?
    /// vespo's φ per sequence.
    let gammaWeights: [Double]?
    let referenceLogProbs: [Double]?
    let weights: [Double]

    init(batch: PolicyLossBatch, settings: GRPOLossSettings) {
        self.settings = settings
        ranges = batch.sequenceRanges
        mask = batch.mask.map { $0 != 0 }
        let current = batch.logProbs.scalars.map(Double.init)
        logProbs = current
        oldLogProbs = batch.oldLogProbs?.map(Double.init) ?? current
        advantages = batch.advantages.map(Double.init)
        referenceLogProbs = settings.beta != 0 ? batch.referenceLogProbs?.map(Double.init) : nil
        let mask = self.mask, ranges = self.ranges, old = oldLogProbs
        let activeCounts = ranges.map { range in range.reduce(0) { $0 + (mask[$1] ? 1 : 0) } }
        self.activeCounts = activeCounts

        (ratios, sequenceRatios) = ImportanceRatios.compute(current: current, old: old, ranges: ranges, mask: mask,
                                                            activeCounts: activeCounts,
                                                            level: settings.importanceSamplingLevel)
        keep = settings.offPolicyMaskThreshold.map { threshold in
            PolicyMasks.offPolicyKeep(threshold: threshold, advantages: batch.advantages, ranges: ranges, mask: mask,
                                      activeCounts: activeCounts, current: current,
                                      sampler: batch.samplerLogProbs?.map(Double.init) ?? old)
        } ?? Array(repeating: 1, count: ranges.count)
        if settings.topEntropyQuantile < 1, let entropies = batch.entropies {
            entropyKeep = PolicyMasks.highEntropyKeep(quantile: settings.topEntropyQuantile, entropies: entropies, mask: mask)
        } else {
            entropyKeep = nil
        }
        gammaWeights = settings.lossType != .vespo ? nil : ranges.indices.map { sequence in
            var sum = 0.0
            for slot in ranges[sequence] where mask[slot] { sum += min(max(current[slot] - old[slot], -20), 20) }
            return settings.gammaWeight(sequenceLogRatio: sum, advantage: Double(batch.advantages[sequence]))
        }
        weights = settings.lossType.sequenceWeights(activeCounts: activeCounts, batch: batch,
                                                    maxCompletionLength: settings.maxCompletionLength)
    }

    /// One active token's full term (policy part masked by OPSM and the entropy mask, plus β·KL).
    func tokenTerm(sequence: Int, slot: Int) -> TokenLossTerm {
        let r = ratios[slot], x = logProbs[slot]
        var term = settings.policyTerm(ratio: r, advantage: advantages[sequence], logProb: x,
                                       gammaWeight: gammaWeights?[sequence] ?? 0)
        let policyMask = keep[sequence] * (entropyKeep?[slot] ?? 1)
        if policyMask != 1 {
            term.value *= policyMask
            term.byRatio *= policyMask
            term.byLogProb *= policyMask
        }
        if let reference = referenceLogProbs {
            let kl = settings.klTerm(ratio: r, logProb: x, referenceLogProb: reference[slot])
            term.value += settings.beta * kl.value
            term.byRatio += settings.beta * kl.byRatio
            term.byLogProb += settings.beta * kl.byLogProb
        }
        return term
    }

    /// The scalar loss and, when asked, d loss / d logProbs per slot.
    func evaluate(withGradient: Bool) -> (loss: Double, gradient: [Double]?) {
        var loss = 0.0
        var gradient = withGradient ? [Double](repeating: 0, count: logProbs.count) : nil
        let sequenceLevel = settings.importanceSamplingLevel == .sequence
        for (sequence, range) in ranges.enumerated() {
            let weight = weights[sequence]
            var sequenceRatioSlope = 0.0   // Σ_t weight · ∂L_t/∂r over the sequence
            for slot in range where mask[slot] {
                let term = tokenTerm(sequence: sequence, slot: slot)
                loss += weight * term.value
                guard gradient != nil else { continue }
                if sequenceLevel {
                    gradient![slot] += weight * term.byLogProb
                    sequenceRatioSlope += weight * term.byRatio
                } else {
                    gradient![slot] += weight * (term.byRatio * ratios[slot] + term.byLogProb)
                }
            }
            // At sequence level r = exp(Σ_t m·(x − old) / max(Σ m, 1)): dr/dx_s = r·m_s / max(Σ m, 1).
            if sequenceLevel, gradient != nil {
                let spread = sequenceRatioSlope * sequenceRatios[sequence] / Double(max(activeCounts[sequence], 1))
                for slot in range where mask[slot] { gradient![slot] += spread }
            }
        }
        return (loss, gradient)
    }
}
