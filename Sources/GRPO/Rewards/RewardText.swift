import Foundation

/// Text helpers shared by the rewards: answer extraction, tags, numbers.
///
/// Lengths and occurrence counts are over Unicode scalars (Python's `len` and `str.count`),
/// so formulas ported from Python reward code give the same numbers.
public enum RewardText {
    /// The four tags of the reasoning format, in order.
    public static let tags = ["<reasoning>", "</reasoning>", "<answer>", "</answer>"]

    /// The answer as the GSM8K reward guide extracts it: the text after the last `<answer>`,
    /// up to the next `</answer>`, trimmed. Without tags, that is the whole text, trimmed.
    public static func extractAnswer(_ text: String) -> String {
        let afterOpen = textAfterLast("<answer>", in: text)
        let inside = afterOpen.components(separatedBy: "</answer>").first ?? afterOpen
        return inside.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The text inside the last `<answer>` tag (to `</answer>` or the end), trimmed; nil when
    /// the text has no `<answer>` tag.
    public static func answerTag(in text: String) -> String? {
        guard text.contains("<answer>") else { return nil }
        return extractAnswer(text)
    }

    /// The text inside the first `<reasoning>`…`</reasoning>` pair, trimmed; nil without both tags.
    public static func reasoning(in text: String) -> String? {
        guard let open = text.range(of: "<reasoning>"),
              let close = text.range(of: "</reasoning>", range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The fraction of the four tags that occur in `text` (0, 0.25, 0.5, 0.75 or 1).
    public static func tagFraction(_ text: String) -> Double {
        Double(tags.filter { text.contains($0) }.count) / Double(tags.count)
    }

    /// How many non-overlapping times `needle` occurs in `text` (Python's `str.count`).
    public static func occurrences(of needle: String, in text: String) -> Int {
        let hay = Array(text.unicodeScalars), pin = Array(needle.unicodeScalars)
        guard !pin.isEmpty, hay.count >= pin.count else { return 0 }
        var count = 0, index = 0
        while index + pin.count <= hay.count {
            if hay[index..<(index + pin.count)].elementsEqual(pin) {
                count += 1
                index += pin.count
            } else {
                index += 1
            }
        }
        return count
    }

    /// The text after the last occurrence of `separator`, or all of `text` when it does not
    /// occur (Python's `text.split(separator)[-1]`).
    public static func textAfterLast(_ separator: String, in text: String) -> String {
        guard let range = text.range(of: separator, options: .backwards) else { return text }
        return String(text[range.upperBound...])
    }

    /// The length of `text` in Unicode scalars (Python's `len`).
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// The first number written in `text`: optional sign, thousands separators, decimals and
    /// exponent (`-1,234.5e-3`); nil when there is none.
    public static func firstNumber(in text: String) -> Double? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = numberPattern.firstMatch(in: text, range: range),
              let found = Range(match.range, in: text) else { return nil }
        return Double(text[found].replacingOccurrences(of: ",", with: "")
            .replacingOccurrences(of: "\u{2212}", with: "-"))
    }

    /// True when `text`, trimmed, is an integer: optional sign, then digits only.
    public static func isInteger(_ text: String) -> Bool {
        var digits = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// `text` trimmed, with runs of white space made single spaces, case-folded unless
    /// `caseSensitive`: the form exact-match rewards compare.
    public static func normalized(_ text: String, caseSensitive: Bool) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        let joined = words.joined(separator: " ")
        return caseSensitive ? joined : joined.folding(options: [.caseInsensitive], locale: nil)
    }

    // Thousands groups first, so "1,234" is one number; a bare ".5" is allowed.
    private static let numberPattern: NSRegularExpression = {
        let sign = "[-+\u{2212}]?"
        let body = #"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"#
        let exponent = #"(?:[eE][-+]?\d+)?"#
        // The pattern is a constant; it compiles.
        return try! NSRegularExpression(pattern: sign + body + exponent)
    }()
}
