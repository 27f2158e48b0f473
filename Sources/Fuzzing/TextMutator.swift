/// Mutations that know the shape of text formats (JSON, CSV, Jinja): numbers become edge values,
/// strings become empty, huge or odd, values change type, spans are cloned or dropped, and
/// format-specific snippets (`dictionary`) are spliced in.
struct TextMutator {
    /// Snippets worth splicing into this format (a deep nesting, a runaway loop, …).
    var dictionary: [String] = []

    static let edgeNumbers = [
        "0", "-0", "1", "-1", "2", "2147483647", "2147483648", "-2147483649", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "1e308", "-1e308", "1e400", "1e-400", "0.5", "-0.5", "1.0", "NaN", "Infinity", "-Infinity",
        "100000", "1000000000", "99999999999999999999999999999",
    ]
    static let oddValues = [
        "null", "true", "false", "[]", "{}", "[1]", "{\"a\":1}", "\"\"", "\"a\"", "[null]", "{\"\":null}",
        String(repeating: "[", count: 100_000), String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
        String(repeating: "{\"a\":", count: 300) + "1" + String(repeating: "}", count: 300),
    ]
    static let oddStrings = [
        "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\\"\"", "\"\\\\\"", "\"\u{FEFF}\"",
        "\"<|im_start|>\"", "\"<|im_end|>\"", "\"\\n\\r\\t\"", "\"é\u{301}🙂\"",
        "\"" + String(repeating: "a", count: 70_000) + "\"", "\"\u{10FFFF}\"", "\"\\uZZZZ\"", "\"\\",
    ]

    func mutate(_ bytes: inout [UInt8], rng: inout FuzzRandom, log: inout [String]) {
        let tokens = Self.tokens(in: bytes)
        switch rng.below(10) {
        case 0...1 where !tokens.numbers.isEmpty:
            let span = rng.pick(tokens.numbers)
            let value = rng.pick(Self.edgeNumbers)
            bytes.replaceSubrange(span, with: Array(value.utf8))
            log.append("number at \(span.lowerBound) = \(value)")
        case 2 where !tokens.strings.isEmpty:
            let span = rng.pick(tokens.strings)
            let value = rng.chance(0.3) ? String(decoding: bytes[rng.pick(tokens.strings)], as: UTF8.self) : rng.pick(Self.oddStrings)
            bytes.replaceSubrange(span, with: Array(value.utf8))
            log.append("string at \(span.lowerBound) replaced (\(value.utf8.count) bytes)")
        case 3 where !(tokens.numbers.isEmpty && tokens.strings.isEmpty):
            let span = rng.pick(tokens.numbers + tokens.strings)
            let value = rng.pick(Self.oddValues)
            bytes.replaceSubrange(span, with: Array(value.utf8))
            log.append("value at \(span.lowerBound) = \(value.prefix(20))…")
        case 4 where !dictionary.isEmpty:
            let snippet = rng.pick(dictionary)
            let at = rng.below(bytes.count + 1)
            bytes.insert(contentsOf: Array(snippet.utf8), at: at)
            log.append("insert snippet at \(at): \(snippet.prefix(40))")
        case 5 where !tokens.strings.isEmpty:
            // Clone a whole line or element: duplicate keys, repeated rows.
            let span = rng.pick(tokens.strings)
            let end = bytes[span.upperBound...].firstIndex(where: { $0 == UInt8(ascii: ",") || $0 == 10 }) ?? bytes.count
            let chunk = Array(bytes[span.lowerBound..<end]) + [UInt8(ascii: ",")]
            let copies = rng.chance(0.1) ? 1000 : 1
            bytes.insert(contentsOf: Array((0..<copies).map { _ in chunk }.joined()), at: span.lowerBound)
            log.append("clone \(copies)× \(chunk.count) bytes at \(span.lowerBound)")
        case 6:
            let punctuation: [UInt8] = Array(",:[]{}\"\\\n\r;{}%#'".utf8)
            let at = rng.below(bytes.count + 1)
            let count = rng.chance(0.05) ? 100_000 : 1 + rng.below(3)
            bytes.insert(contentsOf: [UInt8](repeating: rng.pick(punctuation), count: count), at: at)
            log.append("insert \(count) punctuation at \(at)")
        default:
            ByteMutator.mutate(&bytes, rng: &rng, log: &log)
        }
    }

    /// Spans of number literals and of quoted strings (quotes included), found by a quick scan.
    static func tokens(in bytes: [UInt8]) -> (numbers: [Range<Int>], strings: [Range<Int>]) {
        var numbers: [Range<Int>] = [], strings: [Range<Int>] = []
        var i = 0
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        func isNumberByte(_ b: UInt8) -> Bool {
            (b >= 48 && b <= 57) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
        }
        while i < bytes.count, numbers.count + strings.count < 20_000 {
            let b = bytes[i]
            if b == quote {
                var j = i + 1
                while j < bytes.count, bytes[j] != quote { j += bytes[j] == backslash ? 2 : 1 }
                let end = min(j + 1, bytes.count)
                strings.append(i..<end)
                i = end
            } else if (b >= 48 && b <= 57) || (b == UInt8(ascii: "-") && i + 1 < bytes.count && bytes[i + 1] >= 48 && bytes[i + 1] <= 57) {
                var j = i + 1
                while j < bytes.count, isNumberByte(bytes[j]) { j += 1 }
                numbers.append(i..<j)
                i = j
            } else {
                i += 1
            }
        }
        return (numbers, strings)
    }
}
