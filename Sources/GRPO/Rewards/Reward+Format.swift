import Foundation

/// Format rewards for the `<reasoning>…</reasoning><answer>…</answer>` layout. Values follow
/// the GSM8K GRPO reward guide (willccbb's script, used by the Unsloth notebooks).
extension Reward {
    /// The fraction of the four tags `<reasoning>`, `</reasoning>`, `<answer>`, `</answer>`
    /// present in the completion: 0, 0.25, 0.5, 0.75 or 1.
    public static func tagPresence(name: String = "tag_presence") -> Reward {
        Reward(name: name, range: 0...1) { batch in batch.completions.map { RewardText.tagFraction($0) } }
    }

    /// `score` (guide: 0.5) when the whole completion is exactly
    /// `<reasoning>\n…\n</reasoning>\n<answer>\n…\n</answer>\n`, else 0.
    ///
    /// The guide's pattern, with `.` matching newlines so multi-line reasoning counts
    /// (the guide's Python omitted `re.DOTALL`, so there it only matched one-line sections).
    public static func strictFormat(score: Double = 0.5, name: String = "strict_format") -> Reward {
        patternReward(#"^<reasoning>\n.*?\n</reasoning>\n<answer>\n.*?\n</answer>\n$"#, score: score, name: name)
    }

    /// `score` (guide: 0.5) when the completion starts with `<reasoning>…</reasoning>`,
    /// then white space, then `<answer>…</answer>`, else 0 (the guide uses `re.match`, so the
    /// match is anchored at the start; `.` matches newlines).
    public static func softFormat(score: Double = 0.5, name: String = "soft_format") -> Reward {
        patternReward(#"^<reasoning>.*?</reasoning>\s*<answer>.*?</answer>"#, score: score, name: name)
    }

    /// The guide's `count_xml`: 0.125 for each of `<reasoning>\n`, `\n</reasoning>\n`,
    /// `\n<answer>\n`, `\n</answer>` that occurs exactly once, minus 0.001 per character of
    /// trailing text, exactly as the guide computes it:
    ///
    ///     if count("\n<answer>\n") == 1:  += 0.125; −= len(split("\n</answer>\n")[-1]) · 0.001
    ///     if count("\n</answer>") == 1:   += 0.125; −= (len(split("\n</answer>")[-1]) − 1) · 0.001
    ///
    /// (so ending right after `\n</answer>` earns +0.001, and a missing `\n</answer>\n` charges
    /// the length of the whole text). The result can be negative for long trailing text.
    public static func xmlCount(name: String = "xml_count") -> Reward {
        Reward(name: name, range: -Double.infinity...0.501) { batch in batch.completions.map(xmlCountScore) }
    }

    /// The `xmlCount` score of one text.
    public static func xmlCountScore(_ text: String) -> Double {
        var score = 0.0
        if RewardText.occurrences(of: "<reasoning>\n", in: text) == 1 { score += 0.125 }
        if RewardText.occurrences(of: "\n</reasoning>\n", in: text) == 1 { score += 0.125 }
        if RewardText.occurrences(of: "\n<answer>\n", in: text) == 1 {
            score += 0.125
            score -= Double(RewardText.length(RewardText.textAfterLast("\n</answer>\n", in: text))) * 0.001
        }
        if RewardText.occurrences(of: "\n</answer>", in: text) == 1 {
            score += 0.125
            score -= Double(RewardText.length(RewardText.textAfterLast("\n</answer>", in: text)) - 1) * 0.001
        }
        return score
    }

    /// `score` when `pattern` matches the completion (dot matches newlines), else 0.
    static func patternReward(_ pattern: String, score: Double, name: String) -> Reward {
        // The patterns are constants written above; they compile.
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return Reward(name: name, range: min(0, score)...max(0, score)) { batch in
            batch.completions.map { text in
                let whole = NSRange(text.startIndex..., in: text)
                return regex.firstMatch(in: text, options: [.anchored], range: whole) != nil ? score : 0
            }
        }
    }
}
