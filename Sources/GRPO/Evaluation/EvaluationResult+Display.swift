import Foundation
import TextFormats
import LLM

/// Tables of an evaluation: the summary (means, differences, intervals, p-values) and the cases.
extension EvaluationResult {
    /// The summary as plain text.
    public var text: String {
        var parts = [headline]
        parts.append(RewardFormatting.textTable(header: summaryHeader, rows: summaryRows(Self.judgeMetricKeys)))
        let reference = referenceMetricKeys
        if !reference.isEmpty {
            parts.append("Without a judge:\n" + RewardFormatting.textTable(header: summaryHeader, rows: summaryRows(reference)))
        }
        parts.append(footnote)
        return parts.joined(separator: "\n\n")
    }

    /// The summary as HTML.
    public var html: String {
        var out = "<p>\(HTMLText.escape(headline))</p>"
        out += RewardFormatting.htmlTable(header: summaryHeader, rows: summaryRows(Self.judgeMetricKeys))
        let reference = referenceMetricKeys
        if !reference.isEmpty {
            out += "<p>Without a judge:</p>" + RewardFormatting.htmlTable(header: summaryHeader, rows: summaryRows(reference))
        }
        return out + "<p><small>\(HTMLText.escape(footnote))</small></p>"
    }

    /// One case: the question, the reference, each model's answer, scores and explanation.
    public func caseText(_ index: Int, limit: Int = 600) -> String {
        guard let first = records.first(where: { $0.caseIndex == index }) else { return "No case \(index)." }
        var lines = ["Case \(index)", "Question: \(Self.cut(first.question, limit))", "Reference: \(Self.cut(first.reference, limit))"]
        for model in models {
            guard let record = record(case: index, model: model) else { continue }
            lines.append("")
            lines.append("[\(model)] \(Self.cut(record.answer, limit))")
            lines.append("  scores: " + scoreLine(record))
            if !record.explanation.isEmpty { lines.append("  explanation: \(Self.cut(record.explanation, limit))") }
            if let problem = record.problem { lines.append("  missing: \(problem)") }
        }
        return lines.joined(separator: "\n")
    }

    /// Every case as plain text.
    public var casesText: String { caseIndices.map { caseText($0) }.joined(separator: "\n\n") }

    /// Every case as HTML: a row per case and model with the question, the answer, the scores
    /// and the explanation.
    public var casesHTML: String {
        let header = ["case", "model", "question", "answer", "scores", "explanation"]
        let rows = caseIndices.flatMap { index in
            models.compactMap { model -> [String]? in
                guard let record = record(case: index, model: model) else { return nil }
                return [String(index), model, Self.cut(record.question, 400), Self.cut(record.answer, 1200), scoreLine(record),
                        record.problem.map { "missing: \($0)" } ?? record.explanation]
            }
        }
        return RewardFormatting.htmlTable(header: header, rows: rows)
    }

    // MARK: Pieces

    private var headline: String {
        let cases = caseIndices.count
        return "Evaluation of \(models.joined(separator: ", ")) on \(cases) case\(cases == 1 ? "" : "s"), judged by "
            + (judges.isEmpty ? "nobody yet" : judges.joined(separator: ", "))
            + (incompleteRecords.isEmpty ? "" : " (\(incompleteRecords.count) record(s) with missing scores)")
    }

    private var footnote: String {
        var note = "Scores 1–5; overall = mean of the five. Means over the cases that have a score (n)."
        if models.count > 1 {
            note += " Δ = model − \(models[0]) over paired cases, 95% CI by percentile bootstrap (\(bootstrapSamples) "
                + "resamples, seed \(seed)), p from a paired sign-flip permutation test (two-sided)."
        }
        return note
    }

    private var summaryHeader: [String] {
        var header = ["metric"] + models
        for model in models.dropFirst() { header += ["Δ \(model) − \(models[0])", "95% CI", "p"] }
        return header
    }

    private func summaryRows(_ metrics: [String]) -> [[String]] {
        let comparisons = self.comparisons
        return metrics.map { metric in
            var row = [metric]
            for model in models {
                let (mean, count) = self.mean(metric, model: model)
                row.append(mean.map { "\(Self.number($0)) (n=\(count))" } ?? "— (n=0)")
            }
            for model in models.dropFirst() {
                guard let comparison = comparisons.first(where: { $0.metric == metric && $0.model == model }),
                      comparison.pairs > 0 else {
                    row += ["—", "—", "—"]
                    continue
                }
                row.append(String(format: "%+.2f", comparison.meanDifference))
                row.append(comparison.confidenceInterval.map { String(format: "[%+.2f, %+.2f]", $0.lowerBound, $0.upperBound) } ?? "—")
                row.append(comparison.pValue.map { String(format: "%.3f", $0) } ?? "—")
            }
            return row
        }
    }

    private func scoreLine(_ record: EvaluationRecord) -> String {
        (JudgeMetric.all.map { metric in "\(metric.key) \(record.scores[metric.key].map(Self.number) ?? "missing")" }
            + ["overall \(record.overall.map(Self.number) ?? "missing")"]).joined(separator: ", ")
    }

    static func number(_ value: Double) -> String {
        abs(value) >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }

    private static func cut(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
