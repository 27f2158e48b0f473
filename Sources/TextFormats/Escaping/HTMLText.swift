/// Escaping text for HTML, as MarkupSafe does: `& < > " '` become entities.
///
/// Used by the templates' `escape` filter and autoescaping, and by every HTML table we show.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        EscapedText.escaping(text) { scalar in
            switch scalar {
            case "&": return "&amp;"
            case "<": return "&lt;"
            case ">": return "&gt;"
            case "\"": return "&#34;"
            case "'": return "&#39;"
            default: return nil
            }
        }
    }
}
