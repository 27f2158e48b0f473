import Foundation

/// The importance ratio exp(x − old): per token, or (GSPO) one per sequence from the masked mean
/// log-ratio, exp(Σ_t m·(x − old) / max(Σ_t m, 1)), repeated over its slots.
enum ImportanceRatios {
    static func compute(current: [Double], old: [Double], ranges: [Range<Int>], mask: [Bool], activeCounts: [Int],
                        level: ImportanceSamplingLevel) -> (perSlot: [Double], perSequence: [Double]) {
        var perSlot = zip(current, old).map { Foundation.exp($0 - $1) }
        var perSequence = [Double](repeating: 1, count: ranges.count)
        guard level == .sequence else { return (perSlot, perSequence) }
        for (sequence, range) in ranges.enumerated() {
            var sum = 0.0
            for slot in range where mask[slot] { sum += current[slot] - old[slot] }
            let ratio = Foundation.exp(sum / Double(max(activeCounts[sequence], 1)))
            perSequence[sequence] = ratio
            for slot in range { perSlot[slot] = ratio }
        }
        return (perSlot, perSequence)
    }
}

/// The masks TRL multiplies into the policy term (never into the KL term); 1 keeps, 0 drops.
enum PolicyMasks {
    /// Off-policy sequence masking (DeepSeek-V3.2): a sequence is kept when its advantage is ≥ 0 or
    /// its masked mean of (sampler − current) log-probs is ≤ `threshold` (NaN gaps count as 0).
    static func offPolicyKeep(threshold: Double, advantages: [Float], ranges: [Range<Int>], mask: [Bool],
                              activeCounts: [Int], current: [Double], sampler: [Double]) -> [Double] {
        ranges.indices.map { sequence in
            if advantages[sequence] >= 0 { return 1 }
            var drift = 0.0
            for slot in ranges[sequence] where mask[slot] {
                let gap = sampler[slot] - current[slot]
                if !gap.isNaN { drift += gap }
            }
            return drift / Double(max(activeCounts[sequence], 1)) <= threshold ? 1 : 0
        }
    }

    /// Per slot: 1 for an active token whose entropy reaches the (1 − quantile) quantile of the
    /// active tokens' entropies (torch.quantile, linear), else 0.
    static func highEntropyKeep(quantile: Double, entropies: [Float], mask: [Bool]) -> [Double] {
        let active = entropies.indices.filter { mask[$0] }.map { Double(entropies[$0]) }
        guard !active.isEmpty else { return Array(repeating: 0, count: entropies.count) }
        let threshold = NaNStatistics.quantile(active, 1 - quantile)
        return entropies.indices.map { mask[$0] && Double(entropies[$0]) >= threshold ? 1 : 0 }
    }
}
