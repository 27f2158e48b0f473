/// One lexical token; offsets are Unicode-scalar positions in the source.
struct Token {
    enum Kind: Equatable {
        case identifier, keyword, integer, floating, string, op, punctuation, attribute, endOfFile
    }

    var kind: Kind
    var text: String
    var start: Int
    var end: Int
    /// Whitespace (or a comment) right before / after: Swift decides prefix, postfix and infix
    /// operators this way.
    var spaceBefore = false
    var spaceAfter = false
    /// A line break between the previous token and this one: ends a statement.
    var newlineBefore = false
    /// The `///` comment right before this token, for declarations' docs.
    var doc: String?
    /// A string literal's pieces.
    var segments: [StringSegment] = []
    var intValue = 0
    var doubleValue = 0.0

    func isPunctuation(_ p: String) -> Bool { kind == .punctuation && text == p }
    func isOperator(_ o: String) -> Bool { kind == .op && text == o }
    func isKeyword(_ k: String) -> Bool { kind == .keyword && text == k }
    func isIdentifier(_ name: String) -> Bool { kind == .identifier && text == name }
}

/// A piece of a string literal: text, or the tokens of an interpolation `\( … )`.
enum StringSegment {
    case text(String)
    case code([Token], start: Int, end: Int)
}

enum Keywords {
    static let all: Set<String> = [
        "let", "var", "func", "struct", "enum", "class", "extension", "protocol", "case", "switch",
        "default", "if", "else", "guard", "for", "in", "while", "repeat", "break", "continue",
        "return", "throw", "throws", "rethrows", "try", "do", "catch", "true", "false", "nil",
        "import", "static", "init", "self", "is", "as", "inout", "where", "fallthrough", "defer",
        "typealias",
    ]
}
