import Foundation

/// A linear axis over some values, with tick values at round numbers (1, 2 or 5 times a power
/// of ten apart) so labels read as 0.2, 0.4, … rather than 0.1873.
struct AxisScale: Equatable {
    /// The axis' lowest and highest values (at the plot's edges).
    let lower: Double
    let upper: Double
    /// Tick values from `lower` to `upper`, inclusive.
    let ticks: [Double]
    /// Distance between ticks (0 when the axis has a single tick).
    let tickStep: Double

    /// An axis over the finite `values` with about `tickCount` ticks inside it: the values'
    /// range plus `margin` of it on each side, ticks at round numbers within (whole numbers
    /// only when `integers`, as for steps). Non-finite values are ignored; with none left the axis is 0…1.
    init(covering values: [Double], tickCount: Int = 6, integers: Bool = false, margin: Double = 0.05) {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if high - low <= Self.resolution(low, high) {
            // A constant series: centre it in a band a tenth of its size (or ±1 around 0).
            let pad = integers ? 1 : low == 0 ? 1 : abs(low) / 10
            low -= pad
            high += pad
        }
        let half = high / 2 - low / 2  // halves: the difference itself may overflow
        if half.isFinite {
            low -= 2 * margin * half
            high += 2 * margin * half
        }
        let span = high / 2 - low / 2
        guard span.isFinite, span > 0, low.isFinite, high.isFinite else {
            self.init(lower: low, upper: high, ticks: [low, high].filter(\.isFinite), tickStep: 0)
            return
        }
        var step = Self.roundStep(2 * span / Double(max(1, tickCount - 1)))
        if integers { step = max(1, step.rounded()) }
        let first = (low / step).rounded(.up) * step
        guard step.isFinite, first.isFinite, step > Self.resolution(low, high) else {
            self.init(lower: low, upper: high, ticks: [low, high], tickStep: 0)
            return
        }
        var ticks: [Double] = []
        var index = 0.0
        while ticks.count < 50 {
            let value = first + index * step
            guard value <= high + step * 1e-9 else { break }
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)  // no "-0" or 1e-17 labels
            index += 1
        }
        self.init(lower: low, upper: high, ticks: ticks, tickStep: step)
    }

    private init(lower: Double, upper: Double, ticks: [Double], tickStep: Double) {
        self.lower = lower
        self.upper = upper
        self.ticks = ticks
        self.tickStep = tickStep
    }

    /// Where `value` falls between the bounds: 0 at `lower`, 1 at `upper` (overflow-safe).
    func fraction(of value: Double) -> Double {
        let span = upper / 2 - lower / 2
        guard span > 0 else { return 0.5 }
        return (value / 2 - lower / 2) / span
    }

    /// The smallest difference worth an axis between two values (a few units in the last place).
    private static func resolution(_ a: Double, _ b: Double) -> Double {
        max(abs(a), abs(b)).ulp * 64
    }

    /// The round step (1, 2 or 5 × 10ⁿ) nearest to `raw`.
    private static func roundStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let scaled = raw / magnitude
        let factor: Double = scaled < 1.5 ? 1 : scaled < 3 ? 2 : scaled < 7 ? 5 : 10
        return factor * magnitude
    }
}
