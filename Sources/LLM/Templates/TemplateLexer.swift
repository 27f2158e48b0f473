/// One lexical token of a template.
struct TemplateToken: Equatable {
    enum Kind: Equatable {
        case text(String)
        /// `{{`; `}}` ends it.
        case expressionStart
        case expressionEnd
        /// `{%`; `%}` ends it.
        case statementStart
        case statementEnd
        case name(String)
        case string(String)
        case integer(Int)
        case float(Double)
        /// An operator or punctuation: `+ - * / // % ** ~ == != < <= > >= = ( ) [ ] { } , . : |`.
        case symbol(String)
        case end
    }

    var kind: Kind
    var line: Int
}

/// Splits template source into text and tag tokens, applying Jinja's whitespace rules:
/// `-` on a tag strips all whitespace on that side; with `trimBlocks` the first newline after a
/// block or comment tag is removed; with `lstripBlocks` spaces and tabs between a line start and
/// a block or comment tag are removed (`{%+` opts out).
struct TemplateLexer {
    var trimBlocks = true
    var lstripBlocks = true

    private enum Tag { case expression, statement, comment }

    private struct Segment {
        enum Kind { case text(String), tag(Tag, tokens: [TemplateToken]) }
        var kind: Kind
        var line: Int
        var stripBefore = false
        var stripAfter = false
        var keepIndent = false
    }

    func tokenize(_ source: String) throws -> [TemplateToken] {
        var segments = try split(Array(source.unicodeScalars))
        applyWhitespaceRules(&segments)
        var tokens = [TemplateToken]()
        for segment in segments {
            switch segment.kind {
            case let .text(text):
                if !text.isEmpty { tokens.append(TemplateToken(kind: .text(text), line: segment.line)) }
            case let .tag(_, inner):
                tokens += inner
            }
        }
        tokens.append(TemplateToken(kind: .end, line: segments.last?.line ?? 1))
        return tokens
    }

    // MARK: - Whitespace control

    private func applyWhitespaceRules(_ segments: inout [Segment]) {
        for i in segments.indices {
            guard case var .text(text) = segments[i].kind else { continue }
            // Whether this text begins a line of the source (Jinja's `line_starting`).
            var startsLine = i == 0
            if i > 0, case let .tag(tag, _) = segments[i - 1].kind {
                if segments[i - 1].stripAfter {
                    text = String(text.unicodeScalars.drop(while: { $0.properties.isWhitespace }))
                } else if trimBlocks, tag != .expression, text.unicodeScalars.first == "\n" {
                    text.unicodeScalars.removeFirst()
                    startsLine = true
                }
            }
            if i + 1 < segments.count, case let .tag(tag, _) = segments[i + 1].kind {
                if segments[i + 1].stripBefore {
                    text = String(String.UnicodeScalarView(text.unicodeScalars.reversed().drop(while: { $0.properties.isWhitespace }).reversed()))
                } else if lstripBlocks, tag != .expression, !segments[i + 1].keepIndent {
                    text = Self.removingTrailingIndent(text, startsLine: startsLine)
                }
            }
            segments[i].kind = .text(text)
        }
    }

    /// Removes the whitespace after the last newline (or after the start, when the text starts a
    /// line) when only whitespace separates it from the tag.
    private static func removingTrailingIndent(_ text: String, startsLine: Bool) -> String {
        let scalars = Array(text.unicodeScalars)
        var j = scalars.count
        while j > 0, scalars[j - 1] != "\n", scalars[j - 1].properties.isWhitespace { j -= 1 }
        guard j < scalars.count else { return text }
        if j == 0 ? startsLine : scalars[j - 1] == "\n" {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[0..<j])
            return String(view)
        }
        return text
    }

    // MARK: - Splitting

    private func split(_ s: [Unicode.Scalar]) throws -> [Segment] {
        var segments = [Segment]()
        var i = 0, line = 1
        var text = String.UnicodeScalarView()
        var textLine = 1
        func flushText() {
            segments.append(Segment(kind: .text(String(text)), line: textLine))
            text = String.UnicodeScalarView()
        }
        while i < s.count {
            if s[i] == "{", i + 1 < s.count, s[i + 1] == "{" || s[i + 1] == "%" || s[i + 1] == "#" {
                let tag: Tag = s[i + 1] == "{" ? .expression : s[i + 1] == "%" ? .statement : .comment
                flushText()
                var segment = Segment(kind: .text(""), line: line)
                i += 2
                if i < s.count, s[i] == "-" { segment.stripBefore = true; i += 1 }
                else if i < s.count, s[i] == "+" { segment.keepIndent = true; i += 1 }
                let tagLine = line
                if tag == .comment {
                    // Up to the first "#}".
                    while i + 1 < s.count, !(s[i] == "#" && s[i + 1] == "}") {
                        if s[i] == "\n" { line += 1 }
                        i += 1
                    }
                    guard i + 1 < s.count else { throw TemplateError.syntax(message: "unclosed comment", line: tagLine) }
                    segment.stripAfter = i > 0 && s[i - 1] == "-"
                    i += 2
                    segment.kind = .tag(.comment, tokens: [])
                } else {
                    var tokens = [TemplateToken(kind: tag == .expression ? .expressionStart : .statementStart, line: tagLine)]
                    let close: Unicode.Scalar = tag == .expression ? "}" : "%"
                    var closed = false
                    while i < s.count {
                        let c = s[i]
                        if c == "\n" { line += 1; i += 1; continue }
                        if c.properties.isWhitespace { i += 1; continue }
                        if c == "-", i + 2 < s.count, s[i + 1] == close, s[i + 2] == "}" {
                            segment.stripAfter = true
                            i += 3; closed = true; break
                        }
                        if c == close, i + 1 < s.count, s[i + 1] == "}" {
                            i += 2; closed = true; break
                        }
                        tokens.append(try lexToken(s, &i, line: line))
                    }
                    guard closed else {
                        throw TemplateError.syntax(message: "unclosed \(tag == .expression ? "{{" : "{%") tag", line: tagLine)
                    }
                    tokens.append(TemplateToken(kind: tag == .expression ? .expressionEnd : .statementEnd, line: line))
                    segment.kind = .tag(tag, tokens: tokens)
                }
                segments.append(segment)
                textLine = line
                continue
            }
            if s[i] == "\n" { line += 1 }
            text.append(s[i])
            i += 1
        }
        flushText()
        return segments
    }

    private static let symbols2: Set<String> = ["//", "**", "==", "!=", "<=", ">="]
    private static let symbols1: Set<Unicode.Scalar> = ["+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]",
                                                        "{", "}", ",", ".", ":", "|"]

    private func lexToken(_ s: [Unicode.Scalar], _ i: inout Int, line: Int) throws -> TemplateToken {
        let c = s[i]
        if c == "'" || c == "\"" {
            return TemplateToken(kind: .string(try lexString(s, &i, quote: c, line: line)), line: line)
        }
        if c.properties.numericType != nil, ("0"..."9").contains(c) {
            var j = i
            var isFloat = false
            while j < s.count, ("0"..."9").contains(s[j]) || s[j] == "_" { j += 1 }
            if j + 1 < s.count, s[j] == ".", ("0"..."9").contains(s[j + 1]) {
                isFloat = true
                j += 1
                while j < s.count, ("0"..."9").contains(s[j]) || s[j] == "_" { j += 1 }
            }
            if j < s.count, s[j] == "e" || s[j] == "E" {
                var k = j + 1
                if k < s.count, s[k] == "+" || s[k] == "-" { k += 1 }
                if k < s.count, ("0"..."9").contains(s[k]) {
                    isFloat = true
                    j = k
                    while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
                }
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: s[i..<j].filter { $0 != "_" })
            let text = String(view)
            i = j
            if isFloat, let d = Double(text) { return TemplateToken(kind: .float(d), line: line) }
            if let n = Int(text) { return TemplateToken(kind: .integer(n), line: line) }
            throw TemplateError.syntax(message: "bad number \(text)", line: line)
        }
        if c == "_" || c.properties.isAlphabetic {
            var j = i
            while j < s.count, s[j] == "_" || s[j].properties.isAlphabetic || ("0"..."9").contains(s[j]) { j += 1 }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: s[i..<j])
            i = j
            return TemplateToken(kind: .name(String(view)), line: line)
        }
        if i + 1 < s.count {
            var pair = String.UnicodeScalarView()
            pair.append(c)
            pair.append(s[i + 1])
            if Self.symbols2.contains(String(pair)) {
                i += 2
                return TemplateToken(kind: .symbol(String(pair)), line: line)
            }
        }
        if Self.symbols1.contains(c) {
            i += 1
            return TemplateToken(kind: .symbol(String(c)), line: line)
        }
        throw TemplateError.syntax(message: "unexpected character '\(c)'", line: line)
    }

    /// A Python-style string literal with backslash escapes.
    private func lexString(_ s: [Unicode.Scalar], _ i: inout Int, quote: Unicode.Scalar, line: Int) throws -> String {
        var out = String.UnicodeScalarView()
        i += 1
        while i < s.count {
            let c = s[i]
            if c == quote { i += 1; return String(out) }
            if c == "\\", i + 1 < s.count {
                let e = s[i + 1]
                i += 2
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "0": out.append("\0")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "v": out.append("\u{0B}")
                case "a": out.append("\u{07}")
                case "\\", "'", "\"": out.append(e)
                case "\n": break
                case "x", "u", "U":
                    let width = e == "x" ? 2 : e == "u" ? 4 : 8
                    guard i + width <= s.count else { throw TemplateError.syntax(message: "bad \\\(e) escape", line: line) }
                    var hex = String.UnicodeScalarView()
                    hex.append(contentsOf: s[i..<i + width])
                    guard let value = UInt32(String(hex), radix: 16), let scalar = Unicode.Scalar(value) else {
                        throw TemplateError.syntax(message: "bad \\\(e) escape", line: line)
                    }
                    out.append(scalar)
                    i += width
                default:
                    out.append("\\")
                    out.append(e)
                }
                continue
            }
            out.append(c)
            i += 1
        }
        throw TemplateError.syntax(message: "unterminated string literal", line: line)
    }
}
