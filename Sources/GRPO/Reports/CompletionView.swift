import Foundation
import TextFormats

/// A generation batch shown per group: the prompt (collapsed), each completion with its score
/// per reward, reward and advantage; the best and worst of a group marked, zero-variance
/// groups flagged; optionally each token shaded by its update weight. HTML with inline styles
/// only (it survives notebook sanitizers), and a plain-text form.
public enum CompletionView {
    /// The batch as HTML. `tokenTexts` turns a token id into its text and `tokenWeights[i][t]`
    /// is the weight of token t of sample i (advantage × clipped ratio); given both, tokens are
    /// shaded green (reinforced) or red (suppressed). `groupSize` splits a prompt drawn twice.
    public static func html(samples: [CompletionSample], rewardNames: [String], tokenTexts: ((Int) -> String)? = nil,
                            tokenWeights: [[Double]]? = nil, groupSize: Int? = nil) -> String {
        let groups = CompletionGroup.groups(of: samples, groupSize: groupSize)
        let shading = tokenTexts != nil && tokenWeights != nil ? TokenShading(weights: tokenWeights ?? []) : nil
        var out = "<div style=\"font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#222;background:#fff;padding:4px 6px\">"
        out += "<div style=\"color:#555;margin:2px 0 6px\">\(HTMLText.escape(summary(groups)))"
        if shading != nil {
            out += " · tokens shaded by the update: <span style=\"background:rgba(34,160,60,0.5);padding:0 3px\">reinforced</span> "
                + "<span style=\"background:rgba(215,48,39,0.5);padding:0 3px\">suppressed</span> (hover a token for its weight)"
        }
        out += "</div>"
        for (number, group) in groups.enumerated() {
            out += groupHTML(group, number: number + 1, rewardNames: rewardNames, tokenTexts: tokenTexts,
                             tokenWeights: tokenWeights, shading: shading)
        }
        return out + "</div>"
    }

    /// The batch as plain text: per group a header line and one line per completion.
    public static func text(samples: [CompletionSample], rewardNames: [String], groupSize: Int? = nil,
                            completionCharacters: Int = 100) -> String {
        let groups = CompletionGroup.groups(of: samples, groupSize: groupSize)
        var lines = [summary(groups)]
        for (number, group) in groups.enumerated() {
            lines.append("")
            lines.append("Group \(number + 1) · row \(group.datasetIndex) · prompt: \(PromptPreview.line(group.samples.first?.prompt ?? "", maxCharacters: 100))")
            if group.hasZeroVariance { lines.append("  ! \(zeroVarianceNote(group))") }
            for (position, sample) in group.samples.enumerated() {
                let mark = group.isBest(position) ? "best " : group.isWorst(position) ? "worst" : "     "
                var fields = [padded("#\(position + 1)", 3) + " " + mark, "reward " + padded(rewardText(sample.reward), 5),
                              "adv " + padded(advantageText(sample.advantage), 7)]
                for (index, name) in rewardNames.enumerated() {
                    fields.append("\(name.prefix(16)) " + padded(scoreText(sample.rewards, index), 5))
                }
                fields.append(padded("\(sample.completionTokens.count)", 4) + " tok" + (sample.isTruncated ? " (cut)" : "      "))
                let completion = sample.completion.split(whereSeparator: \.isNewline).joined(separator: " ↵ ")
                let shown = completion.count > completionCharacters
                    ? String(completion.prefix(completionCharacters - 1)) + "…" : completion
                lines.append("  " + fields.joined(separator: "  ") + "  | " + shown)
            }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - Pieces

    private static func summary(_ groups: [CompletionGroup]) -> String {
        guard !groups.isEmpty else { return "No completions." }
        let sizes = Set(groups.map(\.samples.count))
        let perGroup = sizes.count == 1 ? "\(sizes.first ?? 0)" : "\(sizes.min() ?? 0)–\(sizes.max() ?? 0)"
        let flat = groups.filter(\.hasZeroVariance).count
        return "\(groups.count) group\(groups.count == 1 ? "" : "s") × \(perGroup) completions; "
            + (flat == 0 ? "every group has reward variance" : "\(flat) of \(groups.count) with zero reward variance (no learning signal)")
    }

    private static func zeroVarianceNote(_ group: CompletionGroup) -> String {
        let scored = group.samples.map(\.reward).filter(\.isFinite)
        guard let value = scored.first else { return "no completion was scored: advantages are 0, this group teaches nothing" }
        return "zero variance: every completion scored \(rewardText(value)), so advantages are 0 and this group teaches nothing"
    }

    private static func groupHTML(_ group: CompletionGroup, number: Int, rewardNames: [String], tokenTexts: ((Int) -> String)?,
                                  tokenWeights: [[Double]]?, shading: TokenShading?) -> String {
        let prompt = group.samples.first?.prompt ?? ""
        var out = "<div style=\"border:1px solid #d8d8d8;border-radius:6px;margin:8px 0;padding:6px 8px\">"
        out += "<div style=\"font-weight:600;margin-bottom:2px\">Group \(number) <span style=\"font-weight:normal;color:#777\">· dataset row \(group.datasetIndex)</span>"
        if group.hasZeroVariance {
            out += " <span style=\"font-weight:normal;background:#fff3cd;color:#7a5a00;border:1px solid #e6c200;border-radius:4px;padding:0 5px\">"
                + "\(HTMLText.escape(zeroVarianceNote(group)))</span>"
        }
        out += "</div>"
        out += "<details><summary style=\"color:#555;cursor:pointer\">\(HTMLText.escape(PromptPreview.line(prompt)))</summary>"
            + "<pre style=\"white-space:pre-wrap;background:#f6f6f6;padding:6px;margin:4px 0;font-size:12px\">\(HTMLText.escape(prompt))</pre></details>"
        let cell = "padding:3px 6px;border-top:1px solid #eee;vertical-align:top"
        out += "<table style=\"border-collapse:collapse;table-layout:auto;width:100%;margin-top:4px\"><tr style=\"color:#555;font-size:12px\">"
            + "<th style=\"\(cell);text-align:left\">#</th><th style=\"\(cell);text-align:left;width:60%\">completion</th>"
        for name in rewardNames {
            // Long snake_case reward names may wrap after an underscore instead of running into the next header.
            let header = HTMLText.escape(name).replacingOccurrences(of: "_", with: "_<wbr/>")
            out += "<th style=\"\(cell);text-align:right\">\(header)</th>"
        }
        out += "<th style=\"\(cell);text-align:right\">reward</th><th style=\"\(cell);text-align:right\">advantage</th>"
            + "<th style=\"\(cell);text-align:right\">tokens</th></tr>"
        for (position, sample) in group.samples.enumerated() {
            let best = group.isBest(position), worst = group.isWorst(position)
            let background = best ? "#f2faf2" : worst ? "#fcf2f2" : "transparent"
            let edge = best ? "#2e7d32" : worst ? "#c62828" : "transparent"
            out += "<tr style=\"background:\(background)\"><td style=\"\(cell);white-space:nowrap;border-left:3px solid \(edge)\">\(position + 1)"
            if best { out += " <span style=\"background:#2e7d32;color:#fff;border-radius:3px;padding:0 4px;font-size:11px\">best</span>" }
            if worst { out += " <span style=\"background:#c62828;color:#fff;border-radius:3px;padding:0 4px;font-size:11px\">worst</span>" }
            let index = group.sampleIndices[position]
            let body: String
            if let shading, let tokenTexts, let weights = tokenWeights, index < weights.count {
                body = shading.html(tokens: sample.completionTokens, weights: weights[index], tokenText: tokenTexts)
            } else {
                body = HTMLText.escape(sample.completion)
            }
            out += "</td><td style=\"\(cell);text-align:left\"><div style=\"white-space:pre-wrap;word-break:break-word;max-height:14em;overflow:auto;"
                + "font-family:Menlo,Consolas,monospace;font-size:12px\">\(body)</div></td>"
            for index in rewardNames.indices {
                out += "<td style=\"\(cell);text-align:right\">\(HTMLText.escape(scoreText(sample.rewards, index)))</td>"
            }
            let advantageColor = sample.advantage > 0 ? "#2e7d32" : sample.advantage < 0 ? "#c62828" : "#777"
            out += "<td style=\"\(cell);text-align:right;font-weight:600\">\(HTMLText.escape(rewardText(sample.reward)))</td>"
                + "<td style=\"\(cell);text-align:right;color:\(advantageColor)\">\(HTMLText.escape(advantageText(sample.advantage)))</td>"
                + "<td style=\"\(cell);text-align:right;white-space:nowrap\">\(sample.completionTokens.count)"
                + (sample.isTruncated ? "<br/><span style=\"color:#b26a00;font-size:11px\">cut at limit</span>" : "") + "</td></tr>"
        }
        return out + "</table></div>"
    }

    /// `text` right-aligned in `width` columns.
    private static func padded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private static func scoreText(_ rewards: [Double?], _ index: Int) -> String {
        guard index < rewards.count, let score = rewards[index], score.isFinite else { return "–" }
        return NumberText.compact(score)
    }

    private static func rewardText(_ reward: Double) -> String {
        reward.isFinite ? NumberText.compact(reward) : "–"
    }

    private static func advantageText(_ advantage: Double) -> String {
        advantage.isFinite ? String(format: "%+.3f", advantage) : NumberText.compact(advantage)
    }
}
