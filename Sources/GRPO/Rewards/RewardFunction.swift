/// A reward: scores a batch of completions, one value per completion.
///
/// The contract is TRL's: the batch carries the prompts, the completions and every dataset
/// column by name, row-aligned; the result has exactly one entry per completion, and `nil`
/// means "not applicable to this row" (the trainer then ignores this reward for that row).
public protocol RewardFunction {
    /// The name used in logs, statistics and reports.
    var name: String { get }
    /// The values this reward can return; `check` verifies scores fall inside it.
    var range: ClosedRange<Double> { get }
    /// One score per completion of `batch`, `nil` where the reward does not apply.
    func score(_ batch: RewardBatch) throws -> [Double?]
    /// `score(batch)`, stopping with an error once `timeBudget` seconds have passed, for rewards
    /// that can stop themselves (rewards written in cells can). The default ignores the budget:
    /// `RewardRunner` then discards a late result after the call returns.
    func score(_ batch: RewardBatch, timeBudget: Double?) throws -> [Double?]
}

extension RewardFunction {
    public var range: ClosedRange<Double> { -Double.infinity...Double.infinity }

    public func score(_ batch: RewardBatch, timeBudget: Double?) throws -> [Double?] {
        try score(batch)
    }
}

/// A reward made from a closure: the built-ins are made this way, and so are rewards
/// written in a notebook cell.
public struct Reward: RewardFunction {
    public let name: String
    public let range: ClosedRange<Double>
    private let body: (RewardBatch) throws -> [Double?]

    /// A reward that scores whole batches with `body`.
    public init(name: String, range: ClosedRange<Double> = -Double.infinity...Double.infinity,
                score body: @escaping (RewardBatch) throws -> [Double?]) {
        self.name = name
        self.range = range
        self.body = body
    }

    /// A reward that scores one row at a time: `body(batch, index)`.
    public init(name: String, range: ClosedRange<Double> = -Double.infinity...Double.infinity,
                perRow body: @escaping (RewardBatch, Int) throws -> Double?) {
        self.init(name: name, range: range) { batch in
            try (0..<batch.count).map { try body(batch, $0) }
        }
    }

    /// Wraps any reward (to store rewards of different types together, or rename one).
    public init(_ reward: any RewardFunction, name: String? = nil) {
        self.init(name: name ?? reward.name, range: reward.range, score: reward.score)
    }

    public func score(_ batch: RewardBatch) throws -> [Double?] {
        try body(batch)
    }
}

extension Reward: CustomStringConvertible {
    public var description: String {
        "Reward(\(name), range \(RewardFormatting.number(range.lowerBound))...\(RewardFormatting.number(range.upperBound)))"
    }
}
