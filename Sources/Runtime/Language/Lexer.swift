/// Turns source text into tokens: Swift's lexical rules for the subset the language supports.
struct Lexer {
    private let s: [Unicode.Scalar]
    private var i: Int
    private let end: Int
    private let source: Int
    /// Depth of string interpolations being lexed.
    private var nesting = 0

    init(_ scalars: [Unicode.Scalar], source: Int, from start: Int = 0, to end: Int? = nil) {
        self.s = scalars
        self.i = start
        self.end = end ?? scalars.count
        self.source = source
    }

    static func tokenize(_ text: SourceText, source: Int) throws -> [Token] {
        var lexer = Lexer(text.scalars, source: source)
        return try lexer.tokens()
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let j = i + offset
        return j < end ? s[j] : nil
    }

    private func error(_ message: String, at position: Int, atEnd: Bool = false) -> ParseError {
        ParseError(message, span: SourceSpan(source: source, start: position, end: position + 1), isAtEnd: atEnd)
    }

    /// All tokens up to the end, or up to the `)` closing an interpolation when `interpolation`.
    mutating func tokens(interpolation: Bool = false) throws -> [Token] {
        var result: [Token] = []
        var space = true, newline = true
        var doc: String?
        var depth = 0
        while true {
            // Whitespace and comments.
            while let c = peek() {
                if c == "\n" || c == "\r" { newline = true; space = true; i += 1 }
                else if c == " " || c == "\t" { space = true; i += 1 }
                else if c == "/" && peek(1) == "/" {
                    let isDoc = peek(2) == "/"
                    let startText = i + (isDoc ? 3 : 2)
                    while let d = peek(), d != "\n" { i += 1 }
                    if isDoc {
                        let line = String(String.UnicodeScalarView(s[startText..<i])).trimmingSpaces
                        doc = doc.map { $0 + "\n" + line } ?? line
                    }
                    space = true
                } else if c == "/" && peek(1) == "*" {
                    let start = i
                    i += 2
                    var nesting = 1
                    while nesting > 0 {
                        guard let d = peek() else { throw error("unterminated comment /* … */", at: start, atEnd: true) }
                        if d == "/" && peek(1) == "*" { nesting += 1; i += 2 }
                        else if d == "*" && peek(1) == "/" { nesting -= 1; i += 2 }
                        else { if d == "\n" { newline = true }; i += 1 }
                    }
                    space = true
                } else { break }
            }
            guard let c = peek() else {
                if interpolation { throw error("unterminated string interpolation", at: i, atEnd: true) }
                if var last = result.popLast() { last.spaceAfter = true; result.append(last) }
                result.append(Token(kind: .endOfFile, text: "", start: i, end: i, spaceBefore: true, newlineBefore: true))
                return result
            }
            if interpolation && c == ")" && depth == 0 {
                if var last = result.popLast() { last.spaceAfter = false; result.append(last) }
                return result
            }
            var token = try next(c)
            if token.isPunctuation("(") { depth += 1 }
            if token.isPunctuation(")") { depth -= 1 }
            token.spaceBefore = space
            token.newlineBefore = newline
            if token.kind != .attribute { token.doc = doc; doc = nil }
            if var last = result.popLast() { last.spaceAfter = space; result.append(last) }
            result.append(token)
            space = false
            newline = false
        }
    }

    private static let operatorCharacters: Set<Unicode.Scalar> = ["+", "-", "*", "/", "%", "=", "<", ">", "!", "&", "|", "^", "~"]
    private static let punctuation: Set<Unicode.Scalar> = ["(", ")", "[", "]", "{", "}", ",", ":", ";", "@"]

    private mutating func next(_ c: Unicode.Scalar) throws -> Token {
        let start = i
        func make(_ kind: Token.Kind) -> Token {
            Token(kind: kind, text: String(String.UnicodeScalarView(s[start..<i])), start: start, end: i)
        }
        if c.isIdentifierStart || (c == "$" && (peek(1)?.isDigit ?? false)) {
            i += 1
            while let d = peek(), d.isIdentifierPart { i += 1 }
            var token = make(.identifier)
            if Keywords.all.contains(token.text) { token.kind = .keyword }
            return token
        }
        if c == "`" {
            i += 1
            while let d = peek(), d != "`" { i += 1 }
            guard peek() == "`" else { throw error("unterminated `identifier`", at: start) }
            i += 1
            var token = make(.identifier)
            token.text = String(token.text.dropFirst().dropLast())
            return token
        }
        if c.isDigit { return try number() }
        if c == "\"" { return try string(start: start, hashes: 0) }
        if c == "#" {
            var hashes = 0
            while peek(hashes) == "#" { hashes += 1 }
            if peek(hashes) == "\"" {
                i += hashes
                return try string(start: start, hashes: hashes)
            }
            i += 1
            while let d = peek(), d.isIdentifierPart { i += 1 }
            return make(.attribute)
        }
        if c == "@" {
            i += 1
            while let d = peek(), d.isIdentifierPart { i += 1 }
            return make(.attribute)
        }
        if c == "." {
            if peek(1) == "." && peek(2) == "." { i += 3; return make(.op) }
            if peek(1) == "." && peek(2) == "<" { i += 3; return make(.op) }
            i += 1
            return make(.punctuation)
        }
        if c == "?" {
            i += 1
            if peek() == "?" { i += 1 }
            return make(.op)
        }
        if c == "-" && peek(1) == ">" { i += 2; return make(.punctuation) }
        if Lexer.punctuation.contains(c) { i += 1; return make(.punctuation) }
        if Lexer.operatorCharacters.contains(c) {
            // A postfix `!` stands alone (`x!.y`, `x! == y`).
            let previous = start > 0 ? s[start - 1] : " "
            if c == "!" && !(previous == " " || previous == "\t" || previous == "\n" || previous == "(" || previous == "[" || previous == "{" || previous == "," || previous == "=") && peek(1) != "=" {
                i += 1
                return make(.op)
            }
            i += 1
            while let d = peek(), Lexer.operatorCharacters.contains(d) {
                // `a<-1` and `x=-1` are two operators; so is `!!x`-style nonsense; keep it simple:
                // stop before a unary minus/plus/bang that follows another operator character.
                if (d == "-" || d == "!") && i > start && peek(1).map({ !$0.isWhitespace }) == true && !(d == "-" && peek(1) == ">") {
                    break
                }
                i += 1
            }
            return make(.op)
        }
        throw error("unexpected character '\(c)'", at: start)
    }

    private mutating func number() throws -> Token {
        let start = i
        var text = ""
        var isFloat = false
        if peek() == "0", let p = peek(1), p == "x" || p == "b" || p == "o" {
            let radix = p == "x" ? 16 : p == "b" ? 2 : 8
            i += 2
            while let d = peek(), d.isHexDigit || d == "_" { if d != "_" { text.unicodeScalars.append(d) }; i += 1 }
            guard let value = Int(text, radix: radix) else { throw error("invalid number literal", at: start) }
            var token = Token(kind: .integer, text: String(String.UnicodeScalarView(s[start..<i])), start: start, end: i)
            token.intValue = value
            return token
        }
        while let d = peek(), d.isDigit || d == "_" { if d != "_" { text.unicodeScalars.append(d) }; i += 1 }
        if peek() == ".", let d = peek(1), d.isDigit {
            isFloat = true
            text += "."
            i += 1
            while let d = peek(), d.isDigit || d == "_" { if d != "_" { text.unicodeScalars.append(d) }; i += 1 }
        }
        if let e = peek(), e == "e" || e == "E" {
            var j = 1
            if let sign = peek(1), sign == "+" || sign == "-" { j = 2 }
            if let d = peek(j), d.isDigit {
                isFloat = true
                text += "e"
                if j == 2, let sign = peek(1) { text.unicodeScalars.append(sign) }
                i += j
                while let d = peek(), d.isDigit { text.unicodeScalars.append(d); i += 1 }
            }
        }
        if let d = peek(), d.isIdentifierStart { throw error("invalid character '\(d)' in number literal", at: start) }
        var token = Token(kind: isFloat ? .floating : .integer, text: String(String.UnicodeScalarView(s[start..<i])), start: start, end: i)
        if isFloat {
            guard let value = Double(text) else { throw error("invalid number literal", at: start) }
            token.doubleValue = value
        } else {
            guard let value = Int(text) else { throw error("integer literal '\(text)' overflows Int", at: start) }
            token.intValue = value
        }
        return token
    }

    /// A string literal after any leading `#`s; `start` is where the literal begins.
    private mutating func string(start: Int, hashes: Int) throws -> Token {
        let multiline = peek(1) == "\"" && peek(2) == "\""
        i += multiline ? 3 : 1
        var indent = 0
        if multiline {
            while let c = peek(), c == " " || c == "\t" { i += 1 }
            guard peek() == "\n" else { throw error("a multi-line string literal must start on a new line after \"\"\"", at: i) }
            i += 1
            indent = closingIndent(hashes: hashes)
        }
        var segments: [StringSegment] = []
        var text = String.UnicodeScalarView()
        var atLineStart = multiline
        func closesHere(_ lexer: Lexer) -> Bool {
            let quotes = multiline ? 3 : 1
            for k in 0..<quotes where lexer.peek(k) != "\"" { return false }
            for k in 0..<hashes where lexer.peek(quotes + k) != "#" { return false }
            return true
        }
        while true {
            if atLineStart {
                var skipped = 0
                while skipped < indent, let c = peek(), c == " " || c == "\t" { i += 1; skipped += 1 }
                atLineStart = false
            }
            guard let c = peek() else { throw error("unterminated string literal", at: start, atEnd: true) }
            if multiline && c == "\n" {
                // The newline before the closing delimiter is not part of the string.
                var j = 1
                while let d = peek(j), d == " " || d == "\t" { j += 1 }
                let saved = i
                i += j
                if closesHere(self) { i += 3 + hashes; break }
                i = saved + 1
                text.append("\n")
                atLineStart = true
                continue
            }
            if !multiline && c == "\n" { throw error("unterminated string literal", at: start, atEnd: true) }
            if closesHere(self) {
                i += (multiline ? 3 : 1) + hashes
                break
            }
            if c == "\\" && (0..<hashes).allSatisfy({ peek(1 + $0) == "#" }) {
                i += 1 + hashes
                guard let e = peek() else { throw error("unterminated string literal", at: start, atEnd: true) }
                i += 1
                switch e {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "0": text.append("\0")
                case "\\": text.append("\\")
                case "\"": text.append("\"")
                case "'": text.append("'")
                case "\n" where multiline: atLineStart = true
                case "u":
                    guard peek() == "{" else { throw error("expected '{' after \\u", at: i) }
                    i += 1
                    var hex = ""
                    while let d = peek(), d != "}" { hex.unicodeScalars.append(d); i += 1 }
                    i += 1
                    guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                        throw error("invalid unicode scalar \\u{\(hex)}", at: i)
                    }
                    text.append(scalar)
                case "(":
                    if !text.isEmpty { segments.append(.text(String(text))); text = String.UnicodeScalarView() }
                    let codeStart = i
                    guard nesting < 64 else { throw error("string interpolations are nested too deeply", at: i) }
                    var inner = Lexer(s, source: source, from: i, to: end)
                    inner.nesting = nesting + 1
                    let tokens = try inner.tokens(interpolation: true)
                    let codeEnd = inner.i
                    i = inner.i + 1
                    segments.append(.code(tokens, start: codeStart, end: codeEnd))
                default: throw error("invalid escape sequence \\\(e) in string literal", at: i - 1)
                }
                continue
            }
            text.append(c)
            i += 1
        }
        if !text.isEmpty || segments.isEmpty { segments.append(.text(String(text))) }
        var token = Token(kind: .string, text: String(String.UnicodeScalarView(s[start..<i])), start: start, end: i)
        token.segments = segments
        return token
    }

    /// The indentation of the line holding a multi-line string's closing `"""`.
    private func closingIndent(hashes: Int) -> Int {
        var j = i
        var lineStart = i
        while j + 2 < end {
            if s[j] == "\\" { j += 2; continue }
            if s[j] == "\n" { lineStart = j + 1 }
            if s[j] == "\"" && s[j + 1] == "\"" && s[j + 2] == "\"" {
                let prefix = s[lineStart..<j]
                if prefix.allSatisfy({ $0 == " " || $0 == "\t" }) { return prefix.count }
                j += 3
                continue
            }
            j += 1
        }
        return 0
    }
}

extension Unicode.Scalar {
    var isDigit: Bool { ("0"..."9").contains(self) }
    var isHexDigit: Bool { isDigit || ("a"..."f").contains(self) || ("A"..."F").contains(self) }
    var isIdentifierStart: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_" || (value > 0x7f && properties.isAlphabetic)
    }
    var isIdentifierPart: Bool { isIdentifierStart || isDigit }
    var isWhitespace: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" }
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
