import Foundation

/// A strict JSON reader over raw UTF-8 bytes (RFC 8259), fast enough for 100 MB files.
///
/// It walks the bytes once, never builds Foundation objects, and only counts lines when it
/// reports an error. Callers drive objects and arrays with `nextKey` / `nextElement` so the
/// row loader keeps the column order of the file.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let path: String?
    /// Errors are reported as JSON Lines errors (different advice) when set.
    let isJSONLines: Bool
    private(set) var position = 0
    /// One past the last byte this reader may read (JSON Lines limits it to the current line).
    var end: Int
    private var scratch: [UInt8] = []
    private static let maximumDepth = 512

    init(bytes: UnsafeBufferPointer<UInt8>, path: String?, isJSONLines: Bool = false) {
        self.bytes = bytes
        self.path = path
        self.isJSONLines = isJSONLines
        self.end = bytes.count
        if end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    var isAtEnd: Bool { position >= end }

    /// The byte at the current position, or 0 at the end.
    var peek: UInt8 { position < end ? bytes[position] : 0 }

    // MARK: Whitespace

    mutating func skipWhitespace() {
        while position < end {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Moves the reader to `position`, limited to bytes before `end`.
    mutating func seek(to position: Int, end: Int) {
        self.position = position
        self.end = end
    }

    mutating func skip(byte: UInt8) { if peek == byte { position += 1 } }

    // MARK: Containers

    /// After `{` was consumed: the next field name (the `:` consumed too), or nil after `}`.
    mutating func nextKey(isFirst: inout Bool) throws -> String? {
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            if !isFirst && bytes[position - 1] == UInt8(ascii: ",") {
                throw error("a trailing comma before '}' is not allowed in JSON")
            }
            position += 1
            return nil
        }
        if !isFirst {
            guard peek == UInt8(ascii: ",") else { throw error("expected ',' or '}' after a field value, found \(describePeek())") }
            position += 1
            skipWhitespace()
            if peek == UInt8(ascii: "}") { throw error("a trailing comma before '}' is not allowed in JSON") }
        }
        isFirst = false
        guard peek == UInt8(ascii: "\"") else { throw error("expected a field name in double quotes, found \(describePeek())") }
        let key = try readString()
        skipWhitespace()
        guard peek == UInt8(ascii: ":") else { throw error("expected ':' after the field name \"\(key)\", found \(describePeek())") }
        position += 1
        skipWhitespace()
        return key
    }

    /// After `[` was consumed: true when another element follows (positioned at it), false after `]`.
    mutating func nextElement(isFirst: inout Bool) throws -> Bool {
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            if !isFirst && bytes[position - 1] == UInt8(ascii: ",") {
                throw error("a trailing comma before ']' is not allowed in JSON")
            }
            position += 1
            return false
        }
        if !isFirst {
            guard peek == UInt8(ascii: ",") else { throw error("expected ',' or ']' after an array element, found \(describePeek())") }
            position += 1
            skipWhitespace()
            if peek == UInt8(ascii: "]") { throw error("a trailing comma before ']' is not allowed in JSON") }
        }
        isFirst = false
        return true
    }

    /// Consumes the given opening bracket or throws.
    mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard peek == byte else { throw error("expected \(what), found \(describePeek())") }
        position += 1
    }

    // MARK: Values

    mutating func readValue(depth: Int = 0) throws -> DatasetValue {
        guard depth < Self.maximumDepth else { throw error("values are nested more than \(Self.maximumDepth) levels deep") }
        skipWhitespace()
        switch peek {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "{"):
            position += 1
            var fields: [String: DatasetValue] = [:]
            var isFirst = true
            while let key = try nextKey(isFirst: &isFirst) {
                fields[key] = try readValue(depth: depth + 1)
            }
            return .object(fields)
        case UInt8(ascii: "["):
            position += 1
            var elements: [DatasetValue] = []
            var isFirst = true
            while try nextElement(isFirst: &isFirst) {
                elements.append(try readValue(depth: depth + 1))
            }
            return .array(elements)
        case UInt8(ascii: "t"): try readWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try readWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try readWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default:
            if isAtEnd { throw error("unexpected end of input where a value was expected") }
            throw error("expected a value (string, number, object, array, true, false or null), found \(describePeek())")
        }
    }

    private mutating func readWord(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        let start = position
        guard start + count <= end,
              memcmp(bytes.baseAddress! + start, word.utf8Start, count) == 0 else {
            throw error("expected '\(word)', found \(describePeek())")
        }
        position += count
    }

    // MARK: Strings

    /// Reads a string starting at its opening quote.
    mutating func readString() throws -> String {
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

    private mutating func readEscapedString(from start: Int, open: Int) throws -> String {
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
    private mutating func readEscape() throws {
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

    private mutating func readHex4(escapeStart: Int) throws -> UInt32 {
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

    private mutating func readNumber() throws -> DatasetValue {
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
        guard let value = Double(text) else { throw error("number '\(text)' is out of range", at: start) }
        if isInteger, let exact = Int(exactly: value) { return .int(exact) }
        return .double(value)
    }

    private mutating func skipDigits() {
        while position < end, bytes[position] &- UInt8(ascii: "0") < 10 { position += 1 }
    }

    // MARK: Errors

    func describePeek() -> String {
        if isAtEnd { return "the end of the input" }
        let byte = bytes[position]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    /// The line and column of a byte offset (counted only when an error is reported).
    func location(of offset: Int) -> SourceLocation {
        let stop = min(offset, bytes.count)
        var line = 1
        var lineStart = 0
        for index in 0..<stop where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return SourceLocation(path: path, line: line, column: stop - lineStart + 1)
    }

    func error(_ reason: String, at offset: Int? = nil) -> DatasetError {
        let place = location(of: offset ?? position)
        return isJSONLines ? .malformedJSONLines(place, reason: reason) : .malformedJSON(place, reason: reason)
    }
}
