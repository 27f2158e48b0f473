import Foundation

/// Turns token spellings back into text pieces (tokenizers' `decode_chain`); the pieces are
/// then concatenated.
public protocol TokenDecoder: Sendable {
    func decode(_ tokens: [String]) -> [String]
}

/// Several decoders, in order.
struct DecoderSequence: TokenDecoder {
    var decoders: [TokenDecoder]
    func decode(_ tokens: [String]) -> [String] {
        decoders.reduce(tokens) { $1.decode($0) }
    }
}

/// Byte-level: maps each token's characters back to bytes (a token with a character outside
/// the table, such as an added token, contributes its own UTF-8), then decodes UTF-8 with
/// U+FFFD for invalid sequences.
struct ByteLevelDecoder: TokenDecoder {
    func decode(_ tokens: [String]) -> [String] {
        var bytes = [UInt8]()
        for token in tokens {
            if let tokenBytes = ByteLevelAlphabet.decode(token) {
                bytes.append(contentsOf: tokenBytes)
            } else {
                bytes.append(contentsOf: token.utf8)
            }
        }
        return [String(decoding: bytes, as: UTF8.self)]
    }
}

/// SentencePiece's Metaspace: `▁` becomes a space, except in the first token when a prefix
/// was prepended during encoding.
struct MetaspaceDecoder: TokenDecoder {
    var replacement: Unicode.Scalar = "▁"
    var stripsFirst = true

    func decode(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { i, token in
            var result = String.UnicodeScalarView()
            for scalar in token.unicodeScalars {
                if scalar == replacement {
                    if !(i == 0 && stripsFirst) { result.append(" ") }
                } else {
                    result.append(scalar)
                }
            }
            return String(result)
        }
    }
}

/// WordPiece: joins tokens with spaces, gluing `##` continuations; optionally cleans up
/// spaces before punctuation and contractions.
struct WordPieceDecoder: TokenDecoder {
    var prefix = "##"
    var cleanup = true

    func decode(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { i, token in
            var piece = token
            if i > 0 {
                if piece.hasScalarPrefix(prefix) {
                    piece = piece.droppingScalars(prefix.unicodeScalars.count)
                } else {
                    piece = " " + piece
                }
            }
            return cleanup ? Self.cleanUp(piece) : piece
        }
    }

    /// tokenizers' `cleanup`: no space before `. ? ! ,` and English contractions.
    static func cleanUp(_ text: String) -> String {
        // Every pattern is a space followed by one of `. ? ! , ' n d`; most pieces have none.
        let utf8 = Array(text.utf8)
        let candidates: Set<UInt8> = [0x2E, 0x3F, 0x21, 0x2C, 0x27, 0x6E, 0x64]
        guard zip(utf8, utf8.dropFirst()).contains(where: { $0 == 0x20 && candidates.contains($1) }) else {
            return text
        }
        let replacements = [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"),
                            (" n't", "n't"), (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"),
                            (" 've", "'ve"), (" 're", "'re")]
        return replacements.reduce(text) { $0.replacingScalars($1.0, with: $1.1) }
    }
}

/// `<0xXX>` tokens become raw bytes; each run of them is decoded as UTF-8, or becomes one
/// U+FFFD per byte when invalid.
struct ByteFallbackDecoder: TokenDecoder {
    func decode(_ tokens: [String]) -> [String] {
        var result = [String]()
        var pending = [UInt8]()
        func flush() {
            guard !pending.isEmpty else { return }
            if let text = String(validating: pending, as: UTF8.self) {
                result.append(text)
            } else {
                result.append(contentsOf: Array(repeating: "\u{FFFD}", count: pending.count))
            }
            pending.removeAll()
        }
        for token in tokens {
            if let byte = Self.byte(of: token) {
                pending.append(byte)
            } else {
                flush()
                result.append(token)
            }
        }
        flush()
        return result
    }

    static func byte(of token: String) -> UInt8? {
        let utf8 = Array(token.utf8)
        guard utf8.count == 6, utf8[0] == 0x3C, utf8[1] == 0x30, utf8[2] == 0x78, utf8[5] == 0x3E else { return nil }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }
}

/// Joins all tokens into one.
struct FuseDecoder: TokenDecoder {
    func decode(_ tokens: [String]) -> [String] { [tokens.joined()] }
}

/// Removes up to `start` leading and `stop` trailing `content` characters from each token.
struct StripDecoder: TokenDecoder {
    var content: Unicode.Scalar
    var start: Int
    var stop: Int

    func decode(_ tokens: [String]) -> [String] {
        tokens.map { token in
            var piece = Substring(token).unicodeScalars
            var removed = 0
            while removed < start, piece.first == content { piece.removeFirst(); removed += 1 }
            removed = 0
            while removed < stop, piece.last == content { piece.removeLast(); removed += 1 }
            return String(piece)
        }
    }
}

/// Replaces a literal string in each token.
struct ReplaceDecoder: TokenDecoder {
    var pattern: String
    var content: String
    func decode(_ tokens: [String]) -> [String] {
        tokens.map { $0.replacingScalars(pattern, with: content) }
    }
}

/// Classic BPE end-of-word suffix: the suffix becomes a space (none after the last token).
struct BPESuffixDecoder: TokenDecoder {
    var suffix: String
    func decode(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { i, token in
            token.replacingScalars(suffix, with: i == tokens.count - 1 ? "" : " ")
        }
    }
}
