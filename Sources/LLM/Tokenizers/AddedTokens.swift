/// A token matched in the raw text before the rest of the pipeline (special tokens such as
/// `<|im_start|>`, and user-added tokens).
public struct AddedToken: Equatable, Sendable {
    public var content: String
    public var id: Int
    /// Special tokens are left out by `decode(skipSpecialTokens: true)`.
    public var isSpecial: Bool
    /// Absorb whitespace on the left / right of the match.
    public var stripsLeft = false
    public var stripsRight = false
    /// Matched in the normalized text rather than the raw text.
    public var isNormalized = false

    public init(content: String, id: Int, isSpecial: Bool, stripsLeft: Bool = false,
                stripsRight: Bool = false, isNormalized: Bool = false) {
        self.content = content
        self.id = id
        self.isSpecial = isSpecial
        self.stripsLeft = stripsLeft
        self.stripsRight = stripsRight
        self.isNormalized = isNormalized
    }
}

/// A piece of input after splitting out added tokens.
enum TextSegment: Equatable {
    /// Plain text; `isFirst` when it starts the input.
    case text(String, isFirst: Bool)
    case token(Int)
}

/// Finds added tokens in text, leftmost first and longest at each position, with a byte trie.
struct AddedTokenMatcher: Sendable {
    private var children: [[UInt8: Int32]] = [[:]]
    /// The token index ending at each trie node, or -1.
    private var terminal: [Int32] = [-1]
    private var firstBytes = [Bool](repeating: false, count: 256)
    private let tokens: [AddedToken]

    init(_ tokens: [AddedToken]) {
        self.tokens = tokens
        for (index, token) in tokens.enumerated() where !token.content.isEmpty {
            var node = 0
            for byte in token.content.utf8 {
                if let child = children[node][byte] {
                    node = Int(child)
                } else {
                    children.append([:])
                    terminal.append(-1)
                    children[node][byte] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            if terminal[node] < 0 { terminal[node] = Int32(index) }
            firstBytes[Int(token.content.utf8.first!)] = true
        }
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// `text` cut around every added token.
    func split(_ text: String, isFirst: Bool = true) -> [TextSegment] {
        if tokens.isEmpty { return text.isEmpty ? [] : [.text(text, isFirst: isFirst)] }
        let bytes = Array(text.utf8)
        var segments = [TextSegment]()
        var textStart = 0
        var position = 0
        var pendingLeftStrip = false

        func emitText(_ end: Int, stripRight: Bool) {
            var lower = textStart, upper = end
            if pendingLeftStrip { while lower < upper && Self.isSpace(bytes[lower]) { lower += 1 } }
            if stripRight { while upper > lower && Self.isSpace(bytes[upper - 1]) { upper -= 1 } }
            if upper > lower {
                let piece = String(decoding: bytes[lower..<upper], as: UTF8.self)
                segments.append(.text(piece, isFirst: isFirst && lower == 0))
            }
        }

        while position < bytes.count {
            guard firstBytes[Int(bytes[position])], let (index, length) = longestMatch(bytes, at: position) else {
                position += 1
                continue
            }
            let token = tokens[index]
            emitText(position, stripRight: token.stripsLeft)
            segments.append(.token(token.id))
            position += length
            textStart = position
            pendingLeftStrip = token.stripsRight
        }
        emitText(bytes.count, stripRight: false)
        return segments
    }

    private func longestMatch(_ bytes: [UInt8], at start: Int) -> (index: Int, length: Int)? {
        var node = 0
        var best: (Int, Int)?
        var position = start
        while position < bytes.count, let child = children[node][bytes[position]] {
            node = Int(child)
            position += 1
            if terminal[node] >= 0 { best = (Int(terminal[node]), position - start) }
        }
        return best
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
