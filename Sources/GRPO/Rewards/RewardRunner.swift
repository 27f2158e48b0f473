import Foundation

/// Calls rewards on batches so that a faulty reward never stops the caller.
///
/// Per call, a reward that throws, returns the wrong number of scores, or runs past its time
/// budget gets nil for every row; a NaN or infinite score becomes nil for that row. Each fault
/// is counted in the reward's `RewardStatistics` with its message.
///
/// A reward runs on the caller's thread. Rewards written in cells stop themselves when their
/// budget runs out; Swift rewards cannot be preempted, so for them the budget is checked after
/// the call returns and an overrun only discards the results. Keep slow work (HTTP judges, big
/// models) bounded inside the reward itself.
public final class RewardRunner {
    /// The rewards, in order.
    public let rewards: [any RewardFunction]
    /// The time budget (seconds) for a call of any reward without its own; nil = no budget.
    public var timeBudget: Double?
    /// Budgets for single rewards, by name.
    public var timeBudgets: [String: Double] = [:]
    /// What each reward did so far, in the order of `rewards`.
    public private(set) var statistics: [RewardStatistics]

    public init(_ rewards: [any RewardFunction], timeBudget: Double? = nil) {
        self.rewards = rewards
        self.timeBudget = timeBudget
        self.statistics = rewards.map { RewardStatistics(name: $0.name) }
    }

    /// Every reward's scores for `batch`: `scores[reward][completion]`.
    public func score(_ batch: RewardBatch) -> RewardScores {
        RewardScores(names: rewards.map(\.name), scores: rewards.indices.map { score(batch, reward: $0) })
    }

    /// The scores of reward number `index` for `batch`, faults turned into nil.
    public func score(_ batch: RewardBatch, reward index: Int) -> [Double?] {
        let reward = rewards[index]
        let empty = [Double?](repeating: nil, count: batch.count)
        let budget = timeBudgets[reward.name] ?? timeBudget
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome = Result { try reward.score(batch, timeBudget: budget) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var stats = statistics[index]
        defer { statistics[index] = stats }
        stats.calls += 1
        stats.totalSeconds += seconds

        if let budget, seconds > budget {
            stats.overBudgetCalls += 1
            stats.faultedRows += batch.count
            stats.lastError = "Reward \"\(reward.name)\" took \(RewardFormatting.seconds(seconds)), over its budget of "
                + "\(RewardFormatting.seconds(budget)); its scores were discarded. Make it faster or raise its time budget."
            return empty
        }
        let values: [Double?]
        switch outcome {
        case .failure(let error):
            stats.failedCalls += 1
            stats.faultedRows += batch.count
            stats.lastError = "\(error)"
            return empty
        case .success(let returned):
            values = returned
        }
        guard values.count == batch.count else {
            stats.failedCalls += 1
            stats.faultedRows += batch.count
            stats.lastError = RewardError.wrongCount(reward: reward.name, expected: batch.count, got: values.count).description
            return empty
        }
        let nonFinite = values.filter { $0.map { !$0.isFinite } ?? false }.count
        if nonFinite > 0 {
            stats.nonFiniteCalls += 1
            stats.nonFiniteScores += nonFinite
            stats.faultedRows += nonFinite
            stats.lastError = "Reward \"\(reward.name)\" returned \(nonFinite) NaN or infinite score(s); they became nil."
        }
        stats.nilScores += values.filter { $0 == nil }.count
        return values.map { value in value.flatMap { $0.isFinite ? $0 : nil } }
    }

    /// Forgets the statistics gathered so far.
    public func resetStatistics() {
        statistics = rewards.map { RewardStatistics(name: $0.name) }
    }

    /// The statistics as a table: calls, errors, faulted rows, mean time, last error.
    public var statisticsText: String {
        RewardFormatting.textTable(header: Self.statisticsHeader, rows: Self.statisticsRows(statistics, limit: 60))
    }

    /// The statistics as an HTML table.
    public var statisticsHTML: String {
        RewardFormatting.htmlTable(header: Self.statisticsHeader, rows: Self.statisticsRows(statistics, limit: 400))
    }

    static let statisticsHeader = ["reward", "calls", "errors", "nil rows (faults)", "mean time", "last error"]

    static func statisticsRows(_ statistics: [RewardStatistics], limit: Int) -> [[String]] {
        statistics.map { stats in
            [stats.name, "\(stats.calls)", "\(stats.errors)", "\(stats.faultedRows)",
             RewardFormatting.seconds(stats.meanSecondsPerCall), RewardFormatting.cell(stats.lastError ?? "", limit: limit)]
        }
    }
}

/// The scores of several rewards for one batch.
public struct RewardScores: Equatable {
    /// The reward names, in order.
    public let names: [String]
    /// `scores[reward][completion]`; nil = not applicable or faulted.
    public let scores: [[Double?]]

    public init(names: [String], scores: [[Double?]]) {
        self.names = names
        self.scores = scores
    }

    /// The scores of the reward called `name`.
    public subscript(name: String) -> [Double?]? {
        names.firstIndex(of: name).map { scores[$0] }
    }

    /// Per completion, `Σ weight·score` over the rewards that scored it (TRL's nansum); nil
    /// where no reward did. `weights` defaults to 1 for every reward.
    public func weightedSum(weights: [Double]? = nil) throws -> [Double?] {
        let weights = weights ?? Array(repeating: 1, count: names.count)
        guard weights.count == names.count else {
            throw RewardError.invalidArgument(
                "There are \(names.count) rewards but \(weights.count) weights; give one weight per reward.")
        }
        let rows = scores.first?.count ?? 0
        return (0..<rows).map { row in
            var total = 0.0, scored = false
            for (index, column) in scores.enumerated() {
                guard let value = column[row] else { continue }
                total += weights[index] * value
                scored = true
            }
            return scored ? total : nil
        }
    }
}
