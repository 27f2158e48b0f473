import Foundation

/// The records of an evaluation and what they say: the mean of each metric per model, and each
/// model against the first one (the baseline) with a bootstrap confidence interval and a paired
/// test. Shows itself as a table (`text`, `html`); `caseText`/`casesHTML` show single cases.
public struct EvaluationResult: Sendable {
    /// One record per case and model.
    public var records: [EvaluationRecord]
    /// The models in order; the first is the baseline the others are compared with.
    public var models: [String]
    public var bootstrapSamples: Int
    public var seed: UInt64

    /// `models` defaults to the order in which the records first name them.
    public init(records: [EvaluationRecord], models: [String]? = nil, bootstrapSamples: Int = 2000, seed: UInt64 = 0) {
        self.records = records
        var order = models ?? []
        for record in records where !order.contains(record.model) { order.append(record.model) }
        self.models = order
        self.bootstrapSamples = bootstrapSamples
        self.seed = seed
    }

    /// The results saved in a JSONL file by an evaluation.
    public static func load(_ path: String) throws -> EvaluationResult {
        EvaluationResult(records: try EvaluationLog.read(URL(fileURLWithPath: path)))
    }

    /// The case indices, in order.
    public var caseIndices: [Int] { Array(Set(records.map(\.caseIndex))).sorted() }

    /// The judges that scored the records.
    public var judges: [String] {
        var seen: [String] = []
        for record in records where !seen.contains(record.judge) { seen.append(record.judge) }
        return seen
    }

    /// The judge's metric keys and "overall".
    public static var judgeMetricKeys: [String] { JudgeMetric.all.map(\.key) + [JudgeMetric.overallKey] }

    /// The reference metrics present in the records, in display order.
    public var referenceMetricKeys: [String] {
        let present = Set(records.flatMap { record in record.referenceMetrics.filter { $0.value != nil }.map(\.key) })
        return ReferenceMetrics.order.filter(present.contains) + present.subtracting(ReferenceMetrics.order).sorted()
    }

    /// The record of one case and model.
    public func record(case index: Int, model: String) -> EvaluationRecord? {
        records.first { $0.caseIndex == index && $0.model == model }
    }

    /// A metric's values for `model`, aligned with `caseIndices` (nil where missing).
    public func values(_ metric: String, model: String) -> [Double?] {
        var byCase: [Int: EvaluationRecord] = [:]
        for record in records where record.model == model { byCase[record.caseIndex] = record }
        return caseIndices.map { index in
            guard let record = byCase[index] else { return nil }
            if let value = record.score(metric) { return value }
            return record.referenceMetrics[metric] ?? nil
        }
    }

    /// The mean of a metric for `model` over the cases that have it, and how many do.
    public func mean(_ metric: String, model: String) -> (mean: Double?, count: Int) {
        let present = values(metric, model: model).compactMap { $0 }
        return (present.isEmpty ? nil : present.reduce(0, +) / Double(present.count), present.count)
    }

    /// Every model after the first against the first, for every metric.
    public var comparisons: [PairedComparison] {
        guard let baseline = models.first else { return [] }
        return models.dropFirst().flatMap { model in
            (Self.judgeMetricKeys + referenceMetricKeys).map { metric in
                PairedComparison(metric: metric, model: model, baseline: baseline,
                                 values: values(metric, model: model), baselineValues: values(metric, model: baseline),
                                 bootstrapSamples: bootstrapSamples, seed: seed)
            }
        }
    }

    /// Records with at least one judge score missing.
    public var incompleteRecords: [EvaluationRecord] { records.filter { $0.overall == nil } }
}
