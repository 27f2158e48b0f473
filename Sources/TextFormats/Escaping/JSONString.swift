/// JSON string literals as Python's `json.dumps(ensure_ascii=False)` and serde_json write them:
/// quotes, backslash and control characters escaped, everything else as is.
public enum JSONString {
    /// `text` as a JSON string literal. With `escapingLineSeparators`, U+0085, U+2028 and U+2029
    /// are escaped too: JSON allows them raw, but line-based readers (Python's `splitlines`,
    /// JavaScript) take them for line ends.
    public static func quoted(_ text: String, escapingLineSeparators: Bool = false) -> String {
        EscapedText.escaping(text, quote: "\"") { scalar in
            switch scalar {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            case "\u{08}": return "\\b"
            case "\u{0C}": return "\\f"
            case "\u{85}", "\u{2028}", "\u{2029}":
                return escapingLineSeparators ? "\\u" + EscapedText.hex(scalar.value, digits: 4) : nil
            default:
                return scalar.value < 0x20 ? "\\u" + EscapedText.hex(scalar.value, digits: 4) : nil
            }
        }
    }
}
