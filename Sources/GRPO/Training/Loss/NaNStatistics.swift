import Foundation

/// NaN-ignoring statistics with torch's conventions (TRL's `nanmean`, `nanstd`, `quantile`).
enum NaNStatistics {
    /// Mean of the non-NaN values; NaN when there are none.
    static func mean<C: Collection>(_ values: C) -> Double where C.Element == Double {
        var sum = 0.0, count = 0
        for value in values where !value.isNaN { sum += value; count += 1 }
        return count == 0 ? .nan : sum / Double(count)
    }

    /// Bessel-corrected standard deviation of the non-NaN values; NaN with fewer than two.
    static func standardDeviation<C: Collection>(_ values: C) -> Double where C.Element == Double {
        let average = mean(values)
        var squares = 0.0, count = 0
        for value in values where !value.isNaN { squares += (value - average) * (value - average); count += 1 }
        guard count > 1 else { return .nan }
        return (squares / Double(count) * Double(count) / Double(count - 1)).squareRoot()
    }

    /// Sum of the non-NaN values (0 when there are none).
    static func sum<C: Collection>(_ values: C) -> Double where C.Element == Double {
        values.reduce(0) { $1.isNaN ? $0 : $0 + $1 }
    }

    /// torch.quantile's linear interpolation between the order statistics of `values` (not empty).
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
        let fraction = position - Double(below)
        return sorted[below] + (sorted[above] - sorted[below]) * fraction
    }

    /// torch.isclose(x, 0) with the default tolerances (|x| ≤ 1e-8); false for NaN.
    static func isCloseToZero(_ value: Double) -> Bool { abs(value) <= 1e-8 }
}
