/// Python source literals, as `repr` writes them (the templates' `repr`-like output).
public enum PythonLiteral {
    /// Python's `repr(str)`: single quotes unless the text has ' and no ".
    public static func quoted(_ text: String) -> String {
        let quote: Unicode.Scalar = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        return EscapedText.escaping(text, quote: String(quote)) { scalar in
            switch scalar {
            case "\\": return "\\\\"
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            case quote: return "\\" + String(quote)
            default:
                return scalar.value < 0x20 || scalar.value == 0x7F ? "\\x" + EscapedText.hex(scalar.value, digits: 2) : nil
            }
        }
    }
}
