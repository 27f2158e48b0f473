// TRL 1.16's logged loss metrics for one micro-batch (names as TRL logs them). A per-token value
// is averaged over active tokens; a per-sequence value (sequence-level ratios, vespo's φ) over
// sequences.

extension PolicyLossComputation {
    /// kl, entropy, clip_ratio/…, cispo_clip_ratio, vespo/phi_seq_mean as they apply.
    func metrics(entropies: [Float]?) -> [String: Double] {
        var metrics: [String: Double] = [:]
        if let reference = referenceLogProbs {
            metrics["kl"] = tokenMean { slot, _ in
                settings.klTerm(ratio: ratios[slot], logProb: logProbs[slot], referenceLogProb: reference[slot]).value
            }
        }
        if let entropies { metrics["entropy"] = tokenMean { slot, _ in Double(entropies[slot]) } }
        let sequenceLevel = settings.importanceSamplingLevel == .sequence
        switch settings.lossType {
        case .grpo, .bnpo, .drGRPO, .dapo, .luspo:
            let low = 1 - settings.epsilon, high = 1 + settings.resolvedEpsilonHigh
            let isLow = { (ratio: Double, sequence: Int) -> Double in
                settings.cappedRatio(ratio).value < low && advantages[sequence] < 0 ? 1 : 0
            }
            let isHigh = { (ratio: Double, sequence: Int) -> Double in
                settings.cappedRatio(ratio).value > high && advantages[sequence] > 0 ? 1 : 0
            }
            metrics["clip_ratio/low_mean"] = ratioMean(sequenceLevel, isLow)
            metrics["clip_ratio/high_mean"] = ratioMean(sequenceLevel, isHigh)
            metrics["clip_ratio/region_mean"] = ratioMean(sequenceLevel) { max(isLow($0, $1), isHigh($0, $1)) }
            metrics["clip_ratio/low_min"] = perSequence(sequenceLevel, isLow).min() ?? .nan
            metrics["clip_ratio/high_max"] = perSequence(sequenceLevel, isHigh).max() ?? .nan
        case .cispo:
            metrics["cispo_clip_ratio"] = ratioMean(sequenceLevel) { ratio, sequence in
                ratio > settings.resolvedEpsilonHigh && advantages[sequence] > 0 ? 1 : 0
            }
        case .vespo:
            let weights = gammaWeights ?? []
            metrics["vespo/phi_seq_mean"] = weights.reduce(0, +) / Double(max(weights.count, 1))
        case .sapo:
            break
        }
        return metrics
    }

    /// Σ value·m / max(Σ m, 1) over every active slot.
    private func tokenMean(_ value: (_ slot: Int, _ sequence: Int) -> Double) -> Double {
        var sum = 0.0, count = 0
        for (sequence, range) in ranges.enumerated() {
            for slot in range where mask[slot] { sum += value(slot, sequence); count += 1 }
        }
        return sum / Double(max(count, 1))
    }

    /// A token mean of a function of the ratio, or at sequence level its mean over sequences.
    private func ratioMean(_ sequenceLevel: Bool, _ value: (_ ratio: Double, _ sequence: Int) -> Double) -> Double {
        guard sequenceLevel else { return tokenMean { value(ratios[$0], $1) } }
        let values = perSequence(true, value)
        return values.reduce(0, +) / Double(max(values.count, 1))
    }

    /// Per sequence: its masked token mean (sequences without active tokens left out), or at
    /// sequence level the value at its one ratio.
    private func perSequence(_ sequenceLevel: Bool, _ value: (_ ratio: Double, _ sequence: Int) -> Double) -> [Double] {
        ranges.indices.compactMap { sequence in
            if sequenceLevel { return value(sequenceRatios[sequence], sequence) }
            guard activeCounts[sequence] > 0 else { return nil }
            var sum = 0.0
            for slot in ranges[sequence] where mask[slot] { sum += value(ratios[slot], sequence) }
            return sum / Double(activeCounts[sequence])
        }
    }
}
