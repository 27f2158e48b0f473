/// Writes values as Swift source literals, for injected notebook parameters.
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
            return "[" + members.keys.sorted().map { "\(quoted($0)): \(literal(members[$0]!))" }.joined(separator: ", ") + "]"
        }
    }

    /// A double-quoted Swift string literal.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Reads a command-line parameter value the way papermill's `-p` does: integers, floats,
    /// booleans (true/True), nil/None, JSON arrays and objects; anything else is a string.
    public static func parseParameter(_ text: String) -> JSONValue {
        switch text {
        case "true", "True": return .bool(true)
        case "false", "False": return .bool(false)
        case "nil", "None", "null": return .null
        default: break
        }
        if let number = Int(text) { return .int(number) }
        if let number = Double(text), text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .double(number) }
        if text.hasPrefix("[") || text.hasPrefix("{"), let parsed = try? JSONParser.parse(text) { return parsed }
        return .string(text)
    }

    /// The injected cell's source, as papermill's translators write it.
    public static func parameterCell(_ parameters: [(name: String, value: JSONValue)]) -> String {
        (["// Parameters"] + parameters.map { "let \($0.name) = \(literal($0.value))" }).joined(separator: "\n")
    }
}
