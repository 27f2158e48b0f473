import Foundation
import TextFormats

/// The training dashboard: a grid of small charts of the logged metrics (reward, KL, completion
/// length, loss, grad norm, zero-variance and clipped fractions) as one SVG, and a plain-text
/// table of the last steps for front ends without images.
public enum TrainingCharts {
    /// Width and height of one chart, and charts per row.
    static let panelWidth = 320.0, panelHeight = 220.0, columns = 3

    /// The charts of `metrics` (one entry per logged step) as an SVG document with explicit
    /// size and viewBox. `rewardNames` picks the per-reward lines (`rewards/NAME/mean`); empty
    /// means every reward found in the metrics.
    public static func svg(metrics: [StepMetrics], rewardNames: [String] = []) -> String {
        let charts = self.charts(metrics: metrics, rewardNames: rewardNames)
        let legendSpace = charts.map { $0.legendHeight(width: panelWidth) }.max() ?? 0
        let height = panelHeight + max(0, legendSpace - 18)
        let rows = (charts.count + columns - 1) / columns
        let width = panelWidth * Double(columns)
        let total = height * Double(rows) + 20
        let w = TrainingChart.number(width), h = TrainingChart.number(total)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">"
        out += "<rect width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>"
        for (index, chart) in charts.enumerated() {
            let x = Double(index % columns) * panelWidth, y = Double(index / columns) * height
            out += "<g transform=\"translate(\(TrainingChart.number(x)),\(TrainingChart.number(y)))\">"
                + chart.panel(width: panelWidth, height: height, legendSpace: legendSpace) + "</g>"
        }
        let steps = metrics.map(\.step)
        let first = steps.min() ?? 0, last = steps.max() ?? 0
        let caption = steps.isEmpty ? "No steps logged yet."
            : (first == last ? "Step \(first)." : "Steps \(first)–\(last).")
              + " Dots and thin lines: logged values; bold lines: exponentially smoothed (from 11 points on)."
        out += "<text x=\"8\" y=\"\(TrainingChart.number(total - 6))\" fill=\"#777777\">\(HTMLText.escape(caption))</text>"
        return out + "</svg>"
    }

    /// The charts drawn by `svg`, in order.
    public static func charts(metrics: [StepMetrics], rewardNames: [String] = []) -> [TrainingChart] {
        let names = rewardNames.isEmpty ? self.rewardNames(in: metrics) : rewardNames
        func line(_ name: String, _ key: String) -> TrainingChart.Line {
            TrainingChart.Line(name: name, points: metrics.compactMap { entry in
                entry[key].map { (Double(entry.step), $0) }
            })
        }
        let hasKL = metrics.contains { $0["kl"] != nil }
        return [
            TrainingChart(title: "reward", lines: [line("mean", "reward")] + names.map { line($0, "rewards/\($0)/mean") }),
            TrainingChart(title: "KL to the reference", lines: [line("kl", "kl")],
                          emptyNote: metrics.isEmpty || hasKL ? "no data yet" : "not computed (beta is 0)"),
            TrainingChart(title: "completion length (tokens)", lines: [
                line("mean", "completions/mean_length"), line("min", "completions/min_length"),
                line("max", "completions/max_length"),
            ]),
            TrainingChart(title: "loss", lines: [line("loss", "loss")]),
            TrainingChart(title: "grad norm (before clipping)", lines: [line("grad_norm", "grad_norm")]),
            TrainingChart(title: "groups with zero reward std; clipped", lines: [
                line("frac_reward_zero_std", "frac_reward_zero_std"), line("clipped_ratio", "completions/clipped_ratio"),
            ], alwaysShows: [0, 1]),
        ]
    }

    /// The last `lastSteps` logged steps as an aligned text table (the `text/plain` form of the charts).
    public static func text(metrics: [StepMetrics], rewardNames: [String] = [], lastSteps: Int = 10) -> String {
        guard !metrics.isEmpty else { return "No steps logged yet." }
        let names = rewardNames.isEmpty ? self.rewardNames(in: metrics) : rewardNames
        var columns: [(header: String, key: String)] = [("reward", "reward"), ("std", "reward_std")]
        columns += names.map { (String($0.prefix(14)), "rewards/\($0)/mean") }
        columns += [("kl", "kl"), ("loss", "loss"), ("grad_norm", "grad_norm"), ("length", "completions/mean_length"),
                    ("clipped", "completions/clipped_ratio"), ("zero_std", "frac_reward_zero_std"), ("time_s", "step_time")]
        columns = columns.filter { column in metrics.contains { $0[column.key] != nil } }
        let shown = metrics.suffix(max(1, lastSteps))
        var rows = [["step"] + columns.map(\.header)]
        for entry in shown {
            rows.append([String(entry.step)] + columns.map { column in entry[column.key].map { NumberText.compact($0) } ?? "-" })
        }
        let widths = rows[0].indices.map { index in rows.map { $0[index].count }.max() ?? 0 }
        var lines = rows.map { row in
            zip(row, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ")
        }
        if metrics.count > shown.count { lines.insert("(last \(shown.count) of \(metrics.count) logged steps)", at: 0) }
        return lines.joined(separator: "\n")
    }

    /// Reward names that have a `rewards/NAME/mean` entry, in order of first appearance.
    static func rewardNames(in metrics: [StepMetrics]) -> [String] {
        var names: [String] = []
        for entry in metrics {
            for key in entry.values.keys.sorted() where key.hasPrefix("rewards/") && key.hasSuffix("/mean") {
                let name = String(key.dropFirst("rewards/".count).dropLast("/mean".count))
                if !names.contains(name) { names.append(name) }
            }
        }
        return names
    }
}
