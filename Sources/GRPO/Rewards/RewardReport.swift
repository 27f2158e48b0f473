/// Several rewards' scores for a group of completions, as a table: one row per completion,
/// one column per reward, and what went wrong (the runner's statistics) below it.
public struct RewardReport: CustomStringConvertible {
    public let completions: [String]
    public let scores: RewardScores
    /// The statistics of the run that made `scores` (faults are counted there).
    public let statistics: [RewardStatistics]

    /// Scores `batch` with every reward through a fault-isolating `RewardRunner`.
    public init(rewards: [any RewardFunction], batch: RewardBatch, timeBudget: Double? = nil) {
        let runner = RewardRunner(rewards, timeBudget: timeBudget)
        self.completions = batch.completions
        self.scores = runner.score(batch)
        self.statistics = runner.statistics
    }

    /// True when some reward threw, returned the wrong count, a non-finite score, or ran over budget.
    public var hasFaults: Bool { statistics.contains { $0.errors > 0 || $0.faultedRows > 0 } }

    public var text: String {
        var out = RewardFormatting.textTable(header: header, rows: rows(limit: 60))
        if hasFaults { out += "\n\n" + RewardFormatting.textTable(header: RewardRunner.statisticsHeader, rows: faultRows(limit: 60)) }
        return out
    }

    public var html: String {
        var out = RewardFormatting.htmlTable(header: header, rows: rows(limit: 400))
        if hasFaults { out += "<p>Faults (those rows scored nil):</p>" + RewardFormatting.htmlTable(header: RewardRunner.statisticsHeader, rows: faultRows(limit: 400)) }
        return out
    }

    public var description: String { text }

    private var header: [String] { ["#", "completion"] + scores.names }

    private func rows(limit: Int) -> [[String]] {
        completions.indices.map { row in
            [String(row), RewardFormatting.cell(completions[row], limit: limit)]
                + scores.scores.map { RewardFormatting.number(row < $0.count ? $0[row] : nil) }
        }
    }

    private func faultRows(limit: Int) -> [[String]] {
        RewardRunner.statisticsRows(statistics.filter { $0.errors > 0 || $0.faultedRows > 0 }, limit: limit)
    }
}
