/// How one reward behaved across the calls a `RewardRunner` made.
public struct RewardStatistics: Equatable, Sendable {
    /// The reward's name.
    public let name: String
    /// Calls made.
    public internal(set) var calls = 0
    /// Calls that threw or returned the wrong number of scores (all their rows became nil).
    public internal(set) var failedCalls = 0
    /// Calls whose results were discarded because they ran past the time budget.
    public internal(set) var overBudgetCalls = 0
    /// Scores that were NaN or infinite and became nil.
    public internal(set) var nonFiniteScores = 0
    /// Calls that returned at least one NaN or infinite score.
    public internal(set) var nonFiniteCalls = 0
    /// Rows turned into nil by any fault (throw, wrong count, over budget, NaN/inf).
    public internal(set) var faultedRows = 0
    /// Rows the reward itself returned nil for (not applicable; not a fault).
    public internal(set) var nilScores = 0
    /// The message of the most recent fault, if any.
    public internal(set) var lastError: String?
    /// Wall time spent in the reward, over all calls.
    public internal(set) var totalSeconds = 0.0

    public init(name: String) {
        self.name = name
    }

    /// Calls with any fault (threw, wrong count, over budget, or some NaN/inf score).
    public var errors: Int { failedCalls + overBudgetCalls + nonFiniteCalls }

    /// Mean wall time per call (0 before the first call).
    public var meanSecondsPerCall: Double { calls == 0 ? 0 : totalSeconds / Double(calls) }
}
