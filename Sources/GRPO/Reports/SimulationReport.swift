import Foundation
import TextFormats

/// Renders a `SimulationSummary`: the forecast (time per step and for the run, peak memory,
/// tokens), where a step's time goes, flags (zero-variance groups, constant rewards, length
/// limit), then the simulated completions per group.
public enum SimulationReport {
    /// The report as HTML (inline styles only).
    public static func html(_ summary: SimulationSummary) -> String {
        var out = "<div style=\"font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#222;background:#fff;padding:4px 6px\">"
        out += "<div style=\"font-weight:600;font-size:14px;margin-bottom:4px\">Simulated \(summary.stepsRun) step\(summary.stepsRun == 1 ? "" : "s") (no weights changed)</div>"
        out += "<table style=\"border-collapse:collapse;margin:4px 0\">"
        for (label, value) in facts(summary) {
            out += "<tr><td style=\"padding:2px 12px 2px 0;color:#555\">\(HTMLText.escape(label))</td>"
                + "<td style=\"padding:2px 0;font-weight:600\">\(HTMLText.escape(value))</td></tr>"
        }
        out += "</table>"
        let stages = stageShares(summary)
        if !stages.isEmpty {
            out += "<div style=\"color:#555;margin-top:6px\">Where a step's time goes</div>"
                + "<div style=\"display:flex;width:520px;height:14px;border-radius:4px;overflow:hidden;margin:3px 0\">"
            for (index, stage) in stages.enumerated() {
                let color = TrainingChart.palette[index % TrainingChart.palette.count]
                out += "<div title=\"\(HTMLText.escape(stage.name)): \(String(format: "%.1f", stage.seconds)) s\" "
                    + "style=\"width:\(String(format: "%.2f", stage.share * 100))%;background:\(color)\"></div>"
            }
            out += "</div><div style=\"font-size:12px;color:#444\">"
            out += stages.enumerated().map { index, stage in
                "<span style=\"color:\(TrainingChart.palette[index % TrainingChart.palette.count])\">■</span> "
                    + HTMLText.escape("\(stage.name) \(String(format: "%.1f", stage.seconds)) s (\(Int((stage.share * 100).rounded()))%)")
            }.joined(separator: " &#160; ")
            out += "</div>"
        }
        let flags = self.flags(summary)
        if !flags.isEmpty {
            out += "<ul style=\"margin:8px 0;padding-left:18px\">"
            for flag in flags {
                out += "<li style=\"background:#fff3cd;color:#5c4400;margin:3px 0;padding:2px 6px;border-radius:4px\">\(HTMLText.escape(flag))</li>"
            }
            out += "</ul>"
        }
        out += CompletionView.html(samples: summary.samples, rewardNames: summary.rewardNames, groupSize: summary.groupSize)
        return out + "</div>"
    }

    /// The report as plain text.
    public static func text(_ summary: SimulationSummary) -> String {
        var lines = ["Simulated \(summary.stepsRun) step\(summary.stepsRun == 1 ? "" : "s") (no weights changed)"]
        let facts = self.facts(summary)
        let width = facts.map(\.0.count).max() ?? 0
        lines += facts.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }
        let stages = stageShares(summary)
        if !stages.isEmpty {
            lines.append("  per step: " + stages.map { "\($0.name) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", "))
        }
        lines += flags(summary).map { "  ! " + $0 }
        lines.append("")
        lines.append(CompletionView.text(samples: summary.samples, rewardNames: summary.rewardNames, groupSize: summary.groupSize))
        return lines.joined(separator: "\n")
    }

    /// Label and value of each forecast line.
    static func facts(_ summary: SimulationSummary) -> [(String, String)] {
        var facts: [(String, String)] = [
            ("time per step", String(format: "%.1f s", summary.secondsPerStep)),
            ("planned steps", String(summary.plannedSteps)),
            ("forecast for the run", NumberText.duration(summary.forecastSeconds)),
            ("completion tokens per step", String(Int(summary.tokensPerStep.rounded()))),
            ("forecast completion tokens", String(Int(summary.forecastTokens.rounded()))),
        ]
        if let peak = summary.peakMemoryBytes { facts.append(("peak memory", NumberText.bytes(peak))) }
        let groups = summary.groups
        if !groups.isEmpty {
            facts.append(("groups with reward variance", "\(groups.filter { !$0.hasZeroVariance }.count) of \(groups.count)"))
        }
        return facts
    }

    /// Stages with their seconds per step and share of the staged total, largest first.
    static func stageShares(_ summary: SimulationSummary) -> [(name: String, seconds: Double, share: Double)] {
        let stages = summary.stageSeconds.filter { $0.value.isFinite && $0.value > 0 }
        let total = stages.values.reduce(0, +)
        guard total > 0 else { return [] }
        return stages.sorted { $0.value > $1.value }.map { ($0.key, $0.value, $0.value / total) }
    }

    /// What deserves a look before a long run, each with the setting to change.
    static func flags(_ summary: SimulationSummary) -> [String] {
        var flags: [String] = []
        let groups = summary.groups
        let flat = groups.filter(\.hasZeroVariance).count
        if flat > 0 {
            flags.append("\(flat) of \(groups.count) groups have zero reward variance: their advantages are 0 and they teach "
                + "nothing. If this persists, use a reward with partial credit, raise numGenerations or temperature, or set dynamicSampling: true.")
        }
        for reward in summary.constantRewards {
            if let value = reward.value {
                flags.append("Reward \"\(reward.name)\" gave \(NumberText.compact(value)) to every completion: it does not vary, so "
                    + "it adds nothing to the advantages. Check it on a few completions (is the task too hard or too easy for it?).")
            } else {
                flags.append("Reward \"\(reward.name)\" scored no completion (nil or faulted every time): check its dataset "
                    + "columns and look at rewardRunner statistics.")
            }
        }
        if summary.truncatedFraction >= 0.5 {
            flags.append("\(Int((summary.truncatedFraction * 100).rounded()))% of completions hit maxCompletionLength "
                + "(\(summary.maxCompletionLength) tokens): raise maxCompletionLength, or reward shorter answers.")
        }
        return flags
    }
}
