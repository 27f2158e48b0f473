import Foundation

/// A pre-tokenizer pattern: finds its matches, left to right, like a regex search.
///
/// The common GPT-2 / Llama 3 / Qwen2 patterns are hand-written matchers over Unicode
/// classes (fast, no regex engine); other tokenizer.json patterns fall back to
/// `NSRegularExpression`, compiled once.
protocol TextPattern: Sendable {
    /// The scalar ranges of the successive non-overlapping matches inside `range`.
    func matches(in text: ClassifiedScalars, range: Range<Int>) -> [Range<Int>]
}

/// A pattern given by the length of the match starting at a position (0 for none).
protocol AnchoredPattern: TextPattern {
    func matchLength(in text: ClassifiedScalars, at start: Int, end: Int) -> Int
}

extension AnchoredPattern {
    func matches(in text: ClassifiedScalars, range: Range<Int>) -> [Range<Int>] {
        var result = [Range<Int>]()
        var i = range.lowerBound
        while i < range.upperBound {
            let length = matchLength(in: text, at: i, end: range.upperBound)
            if length > 0 {
                result.append(i..<(i + length))
                i += length
            } else {
                i += 1
            }
        }
        return result
    }
}

/// Helpers shared by the hand-written patterns.
private extension ClassifiedScalars {
    /// The end of the run starting at `i` of scalars satisfying `test`.
    @inline(__always)
    func runEnd(from i: Int, end: Int, _ test: (Int) -> Bool) -> Int {
        var j = i
        while j < end && test(j) { j += 1 }
        return j
    }

    @inline(__always)
    func lowercasedASCII(_ i: Int) -> UInt32 {
        let v = scalars[i].value
        return (v >= 65 && v <= 90) ? v + 32 : v
    }

    /// Length of an English contraction (`'s 't 're 've 'm 'll 'd`) at `i`, or 0.
    func contractionLength(at i: Int, end: Int, caseInsensitive: Bool) -> Int {
        guard scalars[i] == "'", i + 1 < end else { return 0 }
        func letter(_ k: Int) -> UInt32 { caseInsensitive ? lowercasedASCII(k) : scalars[k].value }
        switch letter(i + 1) {
        case 0x73, 0x74, 0x6D, 0x64: return 2  // s t m d
        case 0x72, 0x76:  // r v → re ve
            return i + 2 < end && letter(i + 2) == 0x65 ? 3 : 0
        case 0x6C:  // l → ll
            return i + 2 < end && letter(i + 2) == 0x6C ? 3 : 0
        default: return 0
        }
    }

    /// `\s+(?!\S)|\s+` at a whitespace scalar `i`.
    func trailingWhitespaceLength(at i: Int, end: Int) -> Int {
        let j = runEnd(from: i, end: end) { isWhitespace($0) }
        if j == end || j - i == 1 { return j - i }
        return j - i - 1
    }
}

/// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
struct GPT2Pattern: AnchoredPattern {
    func matchLength(in text: ClassifiedScalars, at i: Int, end: Int) -> Int {
        let contraction = text.contractionLength(at: i, end: end, caseInsensitive: false)
        if contraction > 0 { return contraction }
        var start = i
        if text.scalars[i] == " " && i + 1 < end && !text.isWhitespace(i + 1) { start = i + 1 }
        switch text.classes[start] {
        case .letter: return text.runEnd(from: start, end: end) { text.isLetter($0) } - i
        case .number: return text.runEnd(from: start, end: end) { text.isNumber($0) } - i
        case .other: return text.runEnd(from: start, end: end) { text.isOther($0) } - i
        case .whitespace: return text.trailingWhitespaceLength(at: i, end: end)
        }
    }
}

/// Llama 3 (`maxDigits` 3) and Qwen2 (`maxDigits` 1):
/// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
struct Llama3Pattern: AnchoredPattern {
    var maxDigits: Int

    func matchLength(in text: ClassifiedScalars, at i: Int, end: Int) -> Int {
        let contraction = text.contractionLength(at: i, end: end, caseInsensitive: true)
        if contraction > 0 { return contraction }
        let cls = text.classes[i]
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if cls == .letter {
            return text.runEnd(from: i, end: end) { text.isLetter($0) } - i
        }
        if cls != .number && !text.isNewline(i) && i + 1 < end && text.isLetter(i + 1) {
            return text.runEnd(from: i + 1, end: end) { text.isLetter($0) } - i
        }
        // \p{N}{1,maxDigits}
        if cls == .number {
            return text.runEnd(from: i, end: min(end, i + maxDigits)) { text.isNumber($0) } - i
        }
        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
        var start = i
        if text.scalars[i] == " " && i + 1 < end && text.isOther(i + 1) { start = i + 1 }
        if text.isOther(start) {
            let j = text.runEnd(from: start, end: end) { text.isOther($0) }
            return text.runEnd(from: j, end: end) { text.isNewline($0) } - i
        }
        guard cls == .whitespace else { return 0 }
        // \s*[\r\n]+ : up to and including the last newline of the whitespace run.
        let j = text.runEnd(from: i, end: end) { text.isWhitespace($0) }
        var k = j - 1
        while k >= i && !text.isNewline(k) { k -= 1 }
        if k >= i { return k + 1 - i }
        return text.trailingWhitespaceLength(at: i, end: end)
    }
}

/// `\p{N}` (each number character alone) or `\p{N}+` (runs).
struct DigitsPattern: AnchoredPattern {
    var individualDigits: Bool

    func matchLength(in text: ClassifiedScalars, at i: Int, end: Int) -> Int {
        guard text.isNumber(i) else { return 0 }
        return individualDigits ? 1 : text.runEnd(from: i, end: end) { text.isNumber($0) } - i
    }
}

/// An exact string.
struct LiteralPattern: AnchoredPattern {
    var scalars: [Unicode.Scalar]

    init(_ literal: String) { scalars = Array(literal.unicodeScalars) }

    func matchLength(in text: ClassifiedScalars, at i: Int, end: Int) -> Int {
        guard !scalars.isEmpty, i + scalars.count <= end else { return 0 }
        for (k, scalar) in scalars.enumerated() where text.scalars[i + k] != scalar { return 0 }
        return scalars.count
    }
}

/// Any other regular expression, through `NSRegularExpression` (compiled once).
struct RegexPattern: TextPattern, @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String) throws {
        do {
            regex = try NSRegularExpression(pattern: pattern)
        } catch {
            throw TokenizerError.invalidPattern(pattern)
        }
    }

    func matches(in text: ClassifiedScalars, range: Range<Int>) -> [Range<Int>] {
        let piece = text.string(range)
        // Map UTF-16 offsets of the piece back to scalar indices.
        var scalarAtUTF16 = [Int](repeating: 0, count: piece.utf16.count + 1)
        var utf16 = 0
        for (k, scalar) in piece.unicodeScalars.enumerated() {
            scalarAtUTF16[utf16] = k
            utf16 += UTF16.width(scalar)
        }
        scalarAtUTF16[utf16] = range.count
        let found = regex.matches(in: piece, range: NSRange(location: 0, length: utf16))
        return found.compactMap { match in
            guard match.range.length > 0 else { return nil }
            let lower = scalarAtUTF16[match.range.location]
            let upper = scalarAtUTF16[match.range.location + match.range.length]
            return (range.lowerBound + lower)..<(range.lowerBound + upper)
        }
    }
}

/// The patterns found in real tokenizer.json files, mapped to the hand-written matchers.
enum KnownPatterns {
    static let gpt2 = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
    static let llama3 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    /// GPT-4o (o200k; Phi-4-mini). Runs through `NSRegularExpression`.
    static let gpt4o = #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    /// Mistral's Tekken. Runs through `NSRegularExpression`.
    static let tekken = #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The fast matcher for `pattern`, or a compiled regular expression.
    static func pattern(for regex: String) throws -> TextPattern {
        switch regex {
        case gpt2, #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"#:
            return GPT2Pattern()
        case llama3, expanded(llama3): return Llama3Pattern(maxDigits: 3)
        case qwen2, expanded(qwen2): return Llama3Pattern(maxDigits: 1)
        case #"\p{N}"#: return DigitsPattern(individualDigits: true)
        case #"\p{N}+"#: return DigitsPattern(individualDigits: false)
        default: return try RegexPattern(regex)
        }
    }

    /// The `(?i:…)` group spelled out with character classes, as llama.cpp writes it.
    private static func expanded(_ pattern: String) -> String {
        pattern.replacingOccurrences(
            of: "(?i:'s|'t|'re|'ve|'m|'ll|'d)",
            with: "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])")
    }
}
