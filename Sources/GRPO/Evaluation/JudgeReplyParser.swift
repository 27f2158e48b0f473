import Foundation

/// Reads the five scores and the explanation out of a judge's free-text reply.
///
/// Accepts what models actually write: any case and spacing, markdown (`**Medical Accuracy**: 4`,
/// `### Format adherence - 5`), `4/5`, `4 out of 5`, `(4)`, decimals (`3.5`), underscores and
/// JSON (`{"medical_accuracy": 4}`), `&` for "and". A score outside 1…5 or a label without a
/// number is not a score: the metric stays missing (never zero).
public enum JudgeReplyParser {
    /// The scores found (by metric key) and the explanation.
    public static func parse(_ reply: String, metrics: [JudgeMetric] = JudgeMetric.all) -> (scores: [String: Double], explanation: String) {
        if let object = ChatCompletionJSON.object(in: reply) { return parse(object, metrics: metrics) }
        let lines = reply.components(separatedBy: .newlines).map(normalized)
        var scores: [String: Double] = [:]
        for metric in metrics {
            let names = [metric.label.lowercased(), metric.key.replacingOccurrences(of: "_", with: " ")] + metric.aliases
            for name in names {
                if let score = lines.lazy.compactMap({ score(after: name, in: $0) }).first {
                    scores[metric.key] = score
                    break
                }
            }
        }
        return (scores, explanation(in: reply))
    }

    /// Scores from a JSON object reply (`{"medical_accuracy": 4, …, "explanation": "…"}`); keys
    /// are matched like labels in text (case, spaces or underscores), values may be numbers or
    /// strings such as "4/5".
    static func parse(_ object: [String: Any], metrics: [JudgeMetric]) -> (scores: [String: Double], explanation: String) {
        var fields: [String: Any] = [:]
        for (key, value) in object { fields[normalized(key)] = value }
        var scores: [String: Double] = [:]
        for metric in metrics {
            let names = [metric.key.replacingOccurrences(of: "_", with: " "), metric.label.lowercased()] + metric.aliases
            guard let value = names.lazy.compactMap({ fields[$0] }).first else { continue }
            let text = (value as? NSNumber).map { "\($0.doubleValue)" } ?? (value as? String) ?? ""
            if let score = leadingScore(normalized(text)) { scores[metric.key] = score }
        }
        return (scores, clean(fields["explanation"] as? String ?? ""))
    }

    /// The text after "Explanation:" (any case or markdown), else the reply's lines that hold no
    /// score, trimmed and with markdown emphasis removed.
    static func explanation(in reply: String) -> String {
        let range = NSRange(reply.startIndex..., in: reply)
        if let match = explanationPattern.firstMatch(in: reply, range: range), let found = Range(match.range(at: 1), in: reply) {
            return clean(String(reply[found]))
        }
        let scoreless = reply.components(separatedBy: .newlines).filter { line in
            let text = normalized(line)
            return !JudgeMetric.all.contains { metric in score(after: metric.label.lowercased(), in: text) != nil }
                && !text.contains("overall score")
        }
        return clean(scoreless.joined(separator: "\n"))
    }

    /// Lower case; markdown and JSON punctuation, underscores and hyphens between words become
    /// spaces; "&" becomes "and"; runs of spaces become one.
    static func normalized(_ line: String) -> String {
        var out = ""
        for character in line.lowercased() {
            switch character {
            case "*", "_", "#", "`", "\"", "'", "{", "}", "[", "]", "|", ">": out.append(" ")
            case "&": out += " and "
            default: out.append(character)
            }
        }
        return out.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// The score written right after `name` in a normalized line: a separator (":", "=", "-",
    /// "—", "is", or none), then a number in 1…5, optionally "/5", "out of 5" or in parentheses.
    static func score(after name: String, in line: String) -> Double? {
        var searchStart = line.startIndex
        while let found = line.range(of: name, range: searchStart..<line.endIndex) {
            searchStart = found.upperBound
            // The name must start a word, and not be a tag's name (`<reasoning>`).
            if found.lowerBound > line.startIndex {
                let before = line[line.index(before: found.lowerBound)]
                if before.isLetter || before == "<" || before == "/" { continue }
            }
            if let value = leadingScore(String(line[found.upperBound...])) { return value }
        }
        return nil
    }

    /// The score at the start of `text`: an optional separator, a number in 1…5, optionally
    /// "/5", "out of 5" or in parentheses.
    static func leadingScore(_ text: String) -> Double? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = scorePattern.firstMatch(in: text, options: [.anchored], range: range),
              let numberRange = Range(match.range(at: 1), in: text), let value = Double(text[numberRange]) else { return nil }
        if let outOf = Range(match.range(at: 2), in: text), Double(text[outOf]) != 5 { return nil }
        return (1...5).contains(value) ? value : nil
    }

    // After the name: an optional "score", a separator, then the number; "(4)" and "4/5" too.
    private static let scorePattern = try! NSRegularExpression(
        pattern: #"^\s*(?:score)?\s*(?::|=|-|–|—|\bis\b)?\s*\(?\s*(\d+(?:\.\d+)?)\s*(?:(?:/|out of)\s*(\d+(?:\.\d+)?))?\s*\)?"#,
        options: [])

    private static let explanationPattern = try! NSRegularExpression(
        pattern: #"(?:^|\n)[\s*#_>-]*explanation[\s*_]*[:\-–—]?[\s*_]*(.*)"#,
        options: [.caseInsensitive, .dotMatchesLineSeparators])

    private static func clean(_ text: String) -> String {
        text.replacingOccurrences(of: "**", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
