import TextFormats

extension Dataset {
    /// The longest cell text a table shows before cutting it with "…".
    public static let displayCellLimit = 200

    /// A cell's style: text left-aligned with its line breaks kept, wrapped anywhere (a long JSON or
    /// token run would otherwise widen the table past the page), at most 24em (about 50 characters) wide.
    static let htmlCellStyle = "text-align:left;white-space:pre-wrap;overflow-wrap:anywhere;max-width:24em"

    /// An HTML table of every row (use `head(n).html` for a preview), cells cut at `displayCellLimit`.
    public var html: String {
        var out = "<table class=\"dataset\">\n<thead><tr><th></th>"
        for name in columns { out += "<th>\(HTMLText.escape(name))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for (index, row) in rows.enumerated() {
            out += "<tr><th>\(index)</th>"
            for name in columns {
                let text = Self.truncate(row[name].text, to: Self.displayCellLimit)
                out += "<td style=\"\(Self.htmlCellStyle)\">\(HTMLText.escape(text))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n<p>\(count) rows × \(columns.count) columns</p>"
        return out
    }

    /// A plain-text table of every row (use `head(n).text` for a preview); line breaks in cells
    /// show as "⏎" and cells are cut at 40 characters.
    public var text: String {
        let limit = 40
        let header = [""] + columns
        let body = rows.enumerated().map { index, row in
            [String(index)] + columns.map { name in
                Self.truncate(row[name].text.replacingLineBreaks(), to: limit)
            }
        }
        var widths = header.map(\.count)
        for cells in body {
            for (column, cell) in cells.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { cell, width in cell + String(repeating: " ", count: width - cell.count) }
                .joined(separator: " | ").trimmingTrailingSpaces()
        }
        var lines = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")]
        lines += body.map(line)
        lines.append("\(count) rows × \(columns.count) columns")
        return lines.joined(separator: "\n")
    }

    static func truncate(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}

private extension String {
    func replacingLineBreaks() -> String {
        var out = ""
        for character in self {
            out += character.isNewline ? "⏎" : (character == "\t" ? " " : String(character))
        }
        return out
    }

    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
