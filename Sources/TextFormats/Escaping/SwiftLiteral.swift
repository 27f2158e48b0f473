/// Writes values as Swift source literals (for notebook parameters injected as a cell).
public enum SwiftLiteral {
    /// The literal for a JSON value: strings quoted and escaped, arrays and dictionaries nested,
    /// null as `nil`, non-finite numbers as `.nan` / `.infinity` expressions.
    public static func literal(_ value: JSONValue) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            if number.isNaN { return "Double.nan" }
            if number.isInfinite { return number > 0 ? "Double.infinity" : "-Double.infinity" }
            let text = "\(number)"
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        case .string(let text): return quoted(text)
        case .array(let items): return "[" + items.map(literal).joined(separator: ", ") + "]"
        case .object(let members):
            guard !members.isEmpty else { return "[:]" }
            return "[" + members.keys.sorted().map { "\(quoted($0)): \(literal(members[$0] ?? .null))" }.joined(separator: ", ") + "]"
        }
    }

    /// A double-quoted Swift string literal.
    public static func quoted(_ text: String) -> String {
        EscapedText.escaping(text, quote: "\"") { scalar in
            switch scalar {
            case "\\": return "\\\\"
            case "\"": return "\\\""
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            case "\0": return "\\0"
            default:
                return scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{" + String(scalar.value, radix: 16) + "}" : nil
            }
        }
    }
}
