import Foundation

/// A learning rate that warms up linearly, then stays constant or decays (linear or cosine) to 0.
///
/// Matches Hugging Face `transformers` (`get_constant_schedule_with_warmup`,
/// `get_linear_schedule_with_warmup`, `get_cosine_schedule_with_warmup`): `rate(atStep: s)` is the
/// rate used for the update after `s` completed updates, so with warmup the first update uses 0.
public struct LearningRateSchedule: Codable, Equatable, Sendable {
    /// What happens after warmup.
    public enum Decay: String, Codable, Sendable {
        case constant, linear, cosine
    }

    public var peakRate: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var decay: Decay

    public init(peakRate: Float, decay: Decay = .constant, warmupSteps: Int = 0, totalSteps: Int = 0) {
        self.peakRate = peakRate
        self.decay = decay
        self.warmupSteps = max(0, warmupSteps)
        self.totalSteps = max(0, totalSteps)
    }

    /// The fraction of `peakRate` after `step` completed updates.
    public func factor(atStep step: Int) -> Double {
        if step < warmupSteps {
            return Double(step) / Double(max(1, warmupSteps))
        }
        let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        switch decay {
        case .constant:
            return 1
        case .linear:
            return max(0, Double(totalSteps - step) / Double(max(1, totalSteps - warmupSteps)))
        case .cosine:
            return max(0, 0.5 * (1 + cos(Double.pi * progress)))
        }
    }

    /// The learning rate for the update after `step` completed updates.
    public func rate(atStep step: Int) -> Float {
        Float(Double(peakRate) * factor(atStep: step))
    }
}
