#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict JSON reader over raw UTF-8 bytes (RFC 8259), fast enough for 100 MB files.
///
/// It walks the bytes once, never builds Foundation objects, and only counts lines when it
/// reports an error. Callers either read a whole value (`readValue(as:)`, into any `JSONTree`)
/// or drive objects and arrays themselves with `nextKey` / `nextElement`, as the dataset loader
/// does to keep the column order of a file.
public struct JSONScanner {
    public let bytes: UnsafeBufferPointer<UInt8>
    public private(set) var position = 0
    /// One past the last byte this scanner may read (JSON Lines limits it to the current line).
    public private(set) var end: Int
    @usableFromInline var scratch: [UInt8] = []
    /// Values nested deeper than this are an error, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 512

    /// A scanner at the start of `bytes` (after a UTF-8 byte order mark, if any).
    public init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.end = bytes.count
        if end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    public var isAtEnd: Bool { position >= end }

    /// The byte at the current position, or 0 at the end.
    public var peek: UInt8 { position < end ? bytes[position] : 0 }

    // MARK: Whitespace

    public mutating func skipWhitespace() {
        while position < end {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Moves the reader to `position`, limited to bytes before `end`.
    public mutating func seek(to position: Int, end: Int) {
        self.position = position
        self.end = end
    }

    public mutating func skip(byte: UInt8) { if peek == byte { position += 1 } }

    // MARK: Containers

    /// After `{` was consumed: the next field name (the `:` consumed too), or nil after `}`.
    public mutating func nextKey(isFirst: inout Bool) throws(JSONParseError) -> String? {
        guard try nextMember(isFirst: &isFirst, closing: UInt8(ascii: "}"), after: "a field value") else { return nil }
        guard peek == UInt8(ascii: "\"") else { throw error("expected a field name in double quotes, found \(describePeek())") }
        let key = try readString()
        skipWhitespace()
        guard peek == UInt8(ascii: ":") else { throw error("expected ':' after the field name \"\(key)\", found \(describePeek())") }
        position += 1
        skipWhitespace()
        return key
    }

    /// After `[` was consumed: true when another element follows (positioned at it), false after `]`.
    public mutating func nextElement(isFirst: inout Bool) throws(JSONParseError) -> Bool {
        try nextMember(isFirst: &isFirst, closing: UInt8(ascii: "]"), after: "an array element")
    }

    /// Inside an object or array: consumes the `,` before the next member (true), or the
    /// closing bracket (false); a trailing comma is an error.
    private mutating func nextMember(isFirst: inout Bool, closing: UInt8, after what: String) throws(JSONParseError) -> Bool {
        skipWhitespace()
        if peek == closing {
            if !isFirst && bytes[position - 1] == UInt8(ascii: ",") {
                throw error("a trailing comma before '\(Character(Unicode.Scalar(closing)))' is not allowed in JSON")
            }
            position += 1
            return false
        }
        if !isFirst {
            guard peek == UInt8(ascii: ",") else { throw error("expected ',' or '\(Character(Unicode.Scalar(closing)))' after \(what), found \(describePeek())") }
            position += 1
            skipWhitespace()
            if peek == closing { throw error("a trailing comma before '\(Character(Unicode.Scalar(closing)))' is not allowed in JSON") }
        }
        isFirst = false
        return true
    }

    /// Consumes the given opening bracket or throws.
    public mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
        skipWhitespace()
        guard peek == byte else { throw error("expected \(what), found \(describePeek())") }
        position += 1
    }

    // MARK: Values

    /// Reads one value of any kind into `Tree`, its objects' members in the order of the text.
    @inlinable
    public mutating func readValue<Tree: JSONTree>(as tree: Tree.Type, depth: Int = 0) throws(JSONParseError) -> Tree {
        guard depth < Self.maximumDepth else { throw error("values are nested more than \(Self.maximumDepth) levels deep") }
        skipWhitespace()
        switch peek {
        case UInt8(ascii: "\""): return .jsonString(try readString())
        case UInt8(ascii: "{"):
            skip(byte: UInt8(ascii: "{"))
            var members: [(key: String, value: Tree)] = []
            var isFirst = true
            while let key = try nextKey(isFirst: &isFirst) {
                members.append((key, try readValue(as: tree, depth: depth + 1)))
            }
            return .jsonObject(members)
        case UInt8(ascii: "["):
            skip(byte: UInt8(ascii: "["))
            var elements: [Tree] = []
            var isFirst = true
            while try nextElement(isFirst: &isFirst) {
                elements.append(try readValue(as: tree, depth: depth + 1))
            }
            return .jsonArray(elements)
        case UInt8(ascii: "t"): try readWord("true"); return .jsonBool(true)
        case UInt8(ascii: "f"): try readWord("false"); return .jsonBool(false)
        case UInt8(ascii: "n"): try readWord("null"); return .jsonNull
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            switch try readNumber() {
            case .int(let value): return .jsonInt(value)
            case .double(let value): return .jsonDouble(value)
            }
        default:
            if isAtEnd { throw error("unexpected end of input where a value was expected") }
            throw error("expected a value (string, number, object, array, true, false or null), found \(describePeek())")
        }
    }

    /// Consumes `word` (true, false or null) or throws.
    public mutating func readWord(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        let start = position
        guard start + count <= end,
              let base = bytes.baseAddress, memcmp(base + start, word.utf8Start, count) == 0 else {
            throw error("expected '\(word)', found \(describePeek())")
        }
        position += count
    }

    // MARK: Strings

    /// Reads a string starting at its opening quote.
    public mutating func readString() throws(JSONParseError) -> String {
        let open = position
        position += 1
        let start = position
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start, open: open) }
            if byte < 0x20 { throw error("raw control character (byte \(byte)) inside a string; write it as an escape such as \\n") }
            position += 1
        }
        throw error("unterminated string (no closing quote)", at: open)
    }

    private mutating func readEscapedString(from start: Int, open: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                try readEscape()
                runStart = position
                continue
            }
            if byte < 0x20 { throw error("raw control character (byte \(byte)) inside a string; write it as an escape such as \\n") }
            position += 1
        }
        throw error("unterminated string (no closing quote)", at: open)
    }

    /// Reads one escape sequence (at its backslash) and appends its UTF-8 bytes to `scratch`.
    private mutating func readEscape() throws(JSONParseError) {
        let escapeStart = position
        position += 1
        guard position < end else { throw error("unterminated escape sequence", at: escapeStart) }
        let code = bytes[position]
        position += 1
        switch code {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4(escapeStart: escapeStart)
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by \u and a low surrogate.
                if position + 1 < end, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                    let save = position
                    position += 2
                    let low = try readHex4(escapeStart: save)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = save
                        scalar = 0xFFFD
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00...0xDFFF).contains(scalar) {
                scalar = 0xFFFD
            }
            appendUTF8(scalar)
        default:
            throw error("invalid escape '\\\(Character(Unicode.Scalar(code)))'; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at: escapeStart)
        }
    }

    private mutating func readHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard position + 4 <= end else { throw error("incomplete \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("\\u must be followed by four hex digits", at: escapeStart)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | (scalar >> 6)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | (scalar >> 12)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (scalar >> 18)))
            scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    // MARK: Numbers

    /// A JSON number: integers that fit stay exact, everything else is a `Double`.
    public enum Number: Equatable, Sendable {
        case int(Int)
        case double(Double)
    }

    /// Reads a number at its first character. Integers without fraction or exponent are exact
    /// when they fit an `Int`; a number too large for a `Double` is an error.
    public mutating func readNumber() throws(JSONParseError) -> Number {
        let start = position
        var isInteger = true
        if peek == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        skipDigits()
        let integerDigits = position - integerStart
        guard integerDigits > 0 else { throw error("expected digits after '-'", at: start) }
        if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") {
            throw error("numbers may not have leading zeros", at: start)
        }
        if peek == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            let fractionStart = position
            skipDigits()
            guard position > fractionStart else { throw error("expected digits after the decimal point", at: start) }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            let exponentStart = position
            skipDigits()
            guard position > exponentStart else { throw error("expected digits in the exponent", at: start) }
        }
        if isInteger && integerDigits <= 18 {
            var value = 0
            for index in integerStart..<position { value = value &* 10 &+ Int(bytes[index] &- UInt8(ascii: "0")) }
            return .int(bytes[start] == UInt8(ascii: "-") ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let exact = Int(text) { return .int(exact) }
        guard let value = Double(text), value.isFinite else { throw error("number '\(text)' is out of range", at: start) }
        return .double(value)
    }

    private mutating func skipDigits() {
        while position < end, bytes[position] &- UInt8(ascii: "0") < 10 { position += 1 }
    }

    // MARK: Errors

    /// The next byte, described for an error message.
    public func describePeek() -> String {
        if isAtEnd { return "the end of the input" }
        let byte = bytes[position]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    /// The 1-based line and column of a byte offset (counted only when an error is reported).
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let stop = min(offset, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<stop where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, stop - lineStart + 1)
    }

    /// An error at `offset` (default: the current position) with its line and column.
    public func error(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        let offset = offset ?? position
        let place = location(of: offset)
        return JSONParseError(offset: offset, line: place.line, column: place.column, reason: reason)
    }
}
