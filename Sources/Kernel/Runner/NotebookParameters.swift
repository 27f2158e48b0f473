import TextFormats

/// Notebook parameters (`-p name=value`) read and written the way papermill does.
extension SwiftLiteral {
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
