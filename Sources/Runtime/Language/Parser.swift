/// Recursive-descent parser with precedence climbing: tokens → statements.
struct Parser {
    var tokens: [Token]
    var p = 0
    let source: Int
    /// Trailing closures are not allowed in `if`/`while`/`for`/`switch`/`guard` heads.
    var allowTrailingClosure = true
    /// Per closure being parsed: the highest `$n` used (-1 when none).
    var dollarStack: [Int] = []
    /// Nesting of expressions and blocks; deep nesting is an error, not a stack overflow.
    var nesting = 0
    static let maxNesting = 256

    init(tokens: [Token], source: Int) {
        self.tokens = tokens
        self.source = source
    }

    /// Parses a whole cell or script.
    static func parse(_ text: SourceText, source: Int) throws -> [Stmt] {
        let tokens = try Lexer.tokenize(text, source: source)
        var parser = Parser(tokens: tokens, source: source)
        return try parser.program()
    }

    mutating func program() throws -> [Stmt] {
        var statements: [Stmt] = []
        while !atEnd {
            if current.isPunctuation(";") { advance(); continue }
            if current.isPunctuation("}") { throw error("unexpected '}': there is no open '{' to close", at: current) }
            try statement(into: &statements)
            try endOfStatement()
        }
        return statements
    }

    // MARK: - Token helpers

    var current: Token { tokens[p] }
    var atEnd: Bool { current.kind == .endOfFile }
    func peekToken(_ offset: Int = 1) -> Token { tokens[min(p + offset, tokens.count - 1)] }
    var previousEnd: Int { p > 0 ? tokens[p - 1].end : 0 }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return token
    }

    func span(from start: Int) -> SourceSpan {
        SourceSpan(source: source, start: start, end: max(previousEnd, start))
    }

    func error(_ message: String, at token: Token) -> ParseError {
        if token.kind == .endOfFile {
            let end = lastRealTokenEnd
            return ParseError(message, span: SourceSpan(source: source, start: end, end: end + 1), isAtEnd: true)
        }
        return ParseError(message, span: SourceSpan(source: source, start: token.start, end: max(token.end, token.start + 1)))
    }

    /// The end of the last token before the end of input.
    var lastRealTokenEnd: Int {
        tokens.count >= 2 ? tokens[tokens.count - 2].end : 0
    }

    func describe(_ token: Token) -> String {
        token.kind == .endOfFile ? "end of input" : "'\(token.text)'"
    }

    mutating func expectPunctuation(_ p: String, _ context: String) throws {
        guard current.isPunctuation(p) else { throw error("expected '\(p)' \(context), found \(describe(current))", at: current) }
        advance()
    }

    mutating func expectKeyword(_ k: String, _ context: String) throws {
        guard current.isKeyword(k) else { throw error("expected '\(k)' \(context), found \(describe(current))", at: current) }
        advance()
    }

    mutating func identifier(_ context: String) throws -> String {
        guard current.kind == .identifier else { throw error("expected a name \(context), found \(describe(current))", at: current) }
        return advance().text
    }

    mutating func endOfStatement() throws {
        if current.isPunctuation(";") { advance(); return }
        if atEnd || current.isPunctuation("}") || current.newlineBefore { return }
        throw error("unexpected \(describe(current)): separate statements on one line with ';'", at: current)
    }
}
