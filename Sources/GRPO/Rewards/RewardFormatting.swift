import Foundation
import TextFormats

/// Number and table formatting for reward reports (plain text and HTML).
enum RewardFormatting {
    /// A score as people read it: up to 4 decimals without trailing zeros ("0.5", "1.0"),
    /// scientific for tiny or huge values, "nil" for none, "inf"/"-inf"/"nan".
    static func number(_ value: Double?) -> String {
        guard let value else { return "nil" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value != 0, abs(value) < 1e-4 || abs(value) >= 1e15 { return String(format: "%.3e", value) }
        var text = String(format: "%.4f", value)
        while text.hasSuffix("0"), !text.hasSuffix(".0") { text.removeLast() }
        return text
    }

    /// Seconds with a unit that fits (µs, ms, s).
    static func seconds(_ value: Double) -> String {
        if value < 1e-3 { return String(format: "%.0f µs", value * 1e6) }
        if value < 1 { return String(format: "%.1f ms", value * 1e3) }
        return String(format: "%.2f s", value)
    }

    /// One line of text, at most `limit` characters, line breaks shown as "⏎".
    static func cell(_ text: String, limit: Int = 60) -> String {
        let flat = text.replacingOccurrences(of: "\r\n", with: "⏎").replacingOccurrences(of: "\n", with: "⏎")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }

    /// A plain-text table with columns padded to their widest cell.
    static func textTable(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line))
            .joined(separator: "\n")
    }

    /// An HTML table; cell text is escaped.
    static func htmlTable(header: [String], rows: [[String]]) -> String {
        var out = "<table><thead><tr>"
        for name in header { out += "<th>\(HTMLText.escape(name))</th>" }
        out += "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>"
            for cell in row { out += "<td style=\"text-align:left;white-space:pre-wrap\">\(HTMLText.escape(cell))</td>" }
            out += "</tr>"
        }
        return out + "</tbody></table>"
    }
}
