import Foundation
import Tensor

/// One metric of one model against the baseline model on the cases both have a value for:
/// the mean difference (model − baseline), its 95% percentile-bootstrap confidence interval
/// (cases resampled with replacement, paired, seeded) and the two-sided p-value of a paired
/// sign-flip permutation test (exact over all 2ⁿ sign patterns up to n = 16 cases, else 20 000
/// seeded random patterns). The permutation test assumes only that, under no difference, each
/// case's difference is as likely to be positive as negative.
public struct PairedComparison: Sendable, Equatable {
    public var metric: String
    public var model: String
    public var baseline: String
    /// How many cases have the metric for both models.
    public var pairs: Int
    public var meanDifference: Double
    /// nil with fewer than two pairs.
    public var confidenceInterval: ClosedRange<Double>?
    /// nil with no pairs.
    public var pValue: Double?

    /// Compares paired values (`nil` pairs are left out).
    public init(metric: String, model: String, baseline: String, values: [Double?], baselineValues: [Double?],
                bootstrapSamples: Int = 2000, seed: UInt64 = 0) {
        let differences = zip(values, baselineValues).compactMap { a, b -> Double? in
            guard let a, let b else { return nil }
            return a - b
        }
        self.metric = metric
        self.model = model
        self.baseline = baseline
        pairs = differences.count
        meanDifference = differences.isEmpty ? 0 : differences.reduce(0, +) / Double(differences.count)
        confidenceInterval = differences.count < 2 ? nil
            : Self.bootstrapInterval(differences, samples: max(100, bootstrapSamples), seed: seed)
        pValue = differences.isEmpty ? nil : Self.signFlipPValue(differences, seed: seed)
    }

    /// The 2.5th and 97.5th percentiles of the means of `samples` resamples.
    static func bootstrapInterval(_ differences: [Double], samples: Int, seed: UInt64) -> ClosedRange<Double> {
        var random = RandomStream(seed: seed)
        let n = differences.count
        var means: [Double] = []
        means.reserveCapacity(samples)
        for _ in 0..<samples {
            var sum = 0.0
            for _ in 0..<n { sum += differences[random.next(below: n)] }
            means.append(sum / Double(n))
        }
        means.sort()
        return quantile(means, 0.025)...quantile(means, 0.975)
    }

    /// Linear interpolation between the order statistics of sorted `values`.
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        let position = q * Double(values.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, values.count - 1)
        return values[low] + (values[high] - values[low]) * (position - Double(low))
    }

    /// The fraction of sign patterns whose |Σ ±dᵢ| is at least the observed |Σ dᵢ|.
    static func signFlipPValue(_ differences: [Double], seed: UInt64, randomPatterns: Int = 20_000) -> Double {
        let observed = abs(differences.reduce(0, +))
        let tolerance = 1e-9 * max(1, observed)
        let n = differences.count
        if n <= 16 {
            var atLeast = 0
            for mask in 0..<(1 << n) {
                var sum = 0.0
                for index in 0..<n { sum += (mask >> index) & 1 == 1 ? -differences[index] : differences[index] }
                if abs(sum) >= observed - tolerance { atLeast += 1 }
            }
            return Double(atLeast) / Double(1 << n)
        }
        var random = RandomStream(seed: seed ^ 0x5EED)
        var atLeast = 0
        for _ in 0..<randomPatterns {
            var sum = 0.0
            for value in differences { sum += random.next() & 1 == 1 ? -value : value }
            if abs(sum) >= observed - tolerance { atLeast += 1 }
        }
        return Double(atLeast + 1) / Double(randomPatterns + 1)
    }
}
