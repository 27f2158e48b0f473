import Tensor
import Foundation

/// JSON in and out of template values, keeping key order (Python dicts are ordered, and
/// `tojson` output must match `json.dumps` byte for byte).
public enum TemplateJSON {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var offset: Int
        public var description: String { "Invalid JSON at byte \(offset): \(message)." }
    }

    /// Parses JSON text; integers stay `.int`, numbers with a fraction or exponent become `.double`.
    public static func parse(_ text: String) throws -> TemplateValue {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.error("trailing characters") }
        return value
    }

    /// Python `json.dumps(value, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sortKeys)`.
    public static func dumps(_ value: TemplateValue, indent: String? = nil,
                             separators: (item: String, key: String)? = nil, sortKeys: Bool = false) throws -> String {
        let item = separators?.item ?? (indent == nil ? ", " : ",")
        let key = separators?.key ?? ": "
        var out = ""
        try write(value, into: &out, indent: indent, level: 0, item: item, key: key, sortKeys: sortKeys)
        return out
    }

    private static func write(_ value: TemplateValue, into out: inout String, indent: String?, level: Int,
                              item: String, key: String, sortKeys: Bool) throws {
        // A list holding itself twice per level doubles with every level: stop at the text limit.
        guard out.utf8.count <= TemplateLimits.maximumTextLength, level <= 512 else {
            throw TemplateError.runtime(message: "tojson output grew past \(TemplateLimits.maximumTextLength) bytes or 512 levels", line: 0)
        }
        switch value {
        case .none: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(n): out += String(n)
        case let .double(d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" }
            else { out += TemplateValue.pythonFloat(d) }
        case let .string(s), let .markup(s): out += JSONString.quoted(s)
        case let .array(items), let .tuple(items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, element) in items.enumerated() {
                if i > 0 { out += item }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                try write(element, into: &out, indent: indent, level: level + 1, item: item, key: key, sortKeys: sortKeys)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case let .dictionary(d):
            if d.isEmpty { out += "{}"; return }
            out += "{"
            let pairs = sortKeys ? d.pairs.sorted { $0.key < $1.key } : d.pairs
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += item }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                out += JSONString.quoted(pair.key) + key
                try write(pair.value, into: &out, indent: indent, level: level + 1, item: item, key: key, sortKeys: sortKeys)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        case let .namespace(ns):
            try write(.dictionary(ns.values), into: &out, indent: indent, level: level, item: item, key: key, sortKeys: sortKeys)
        case .undefined, .function:
            throw TemplateError.runtime(message: "Object of type \(value.typeName) is not JSON serializable", line: 0)
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        func error(_ message: String) -> ParseError { ParseError(message: message, offset: index) }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) throws -> TemplateValue {
            guard depth < 512 else { throw error("nesting too deep") }
            guard index < bytes.count else { throw error("unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var dictionary = TemplateDictionary()
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .dictionary(dictionary) }
                while true {
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                    let key = try string()
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    index += 1
                    skipWhitespace()
                    dictionary[key] = try value(depth: depth + 1)
                    skipWhitespace()
                    guard index < bytes.count else { throw error("unexpected end") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return .dictionary(dictionary) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                index += 1
                var items = [TemplateValue]()
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    skipWhitespace()
                    items.append(try value(depth: depth + 1))
                    skipWhitespace()
                    guard index < bytes.count else { throw error("unexpected end") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .none)
            default:
                return try number()
            }
        }

        mutating func literal(_ word: String, _ value: TemplateValue) throws -> TemplateValue {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
                throw error("unexpected character")
            }
            index += w.count
            return value
        }

        mutating func number() throws -> TemplateValue {
            let start = index
            var isInteger = true
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            while index < bytes.count {
                let c = bytes[index]
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { index += 1; continue }
                if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+")
                    || c == UInt8(ascii: "-") { isInteger = false; index += 1; continue }
                break
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if isInteger, let n = Int(text) { return .int(n) }
            guard !text.isEmpty, text != "-", let d = Double(text) else {
                index = start
                throw error("unexpected character")
            }
            return .double(d)
        }

        mutating func string() throws -> String {
            index += 1 // opening quote
            var out = [UInt8]()
            while index < bytes.count {
                let c = bytes[index]
                index += 1
                if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                if c != UInt8(ascii: "\\") { out.append(c); continue }
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
                       bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out += Array(String(scalar).utf8)
                default:
                    throw error("bad escape")
                }
            }
            throw error("unterminated string")
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count,
                  let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                throw error("bad \\u escape")
            }
            index += 4
            return v
        }
    }
}

extension TemplateValue {
    /// Converts Foundation/JSONSerialization values (`[String: Any]`, `[Any]`, `NSNumber`, …).
    /// Dictionary keys are sorted, since `[String: Any]` has no order; pass `TemplateValue`s or
    /// JSON text (`TemplateJSON.parse`) when key order matters.
    public init(any value: Any?) {
        switch value {
        case nil, is NSNull: self = .none
        case let v as TemplateValue: self = v
        case let s as String: self = .string(s)
        case let b? where type(of: b) == Bool.self: self = .bool(b as! Bool)
        case let i? where type(of: i) == Int.self: self = .int(i as! Int)
        case let d? where type(of: d) == Double.self: self = .double(d as! Double)
        case let f? where type(of: f) == Float.self: self = .double(Double(f as! Float))
        case let n as NSNumber:
            let type = String(cString: n.objCType)
            if type == "c" { self = .bool(n.boolValue) }
            else if type == "d" || type == "f" { self = .double(n.doubleValue) }
            else { self = .int(n.intValue) }
        case let a as [Any?]: self = .array(a.map { TemplateValue(any: $0) })
        case let a as [Any]: self = .array(a.map { TemplateValue(any: $0) })
        case let d as [String: Any?]:
            self = .dictionary(TemplateDictionary(d.keys.sorted().map { ($0, TemplateValue(any: d[$0] ?? nil)) }))
        case let d as [String: Any]:
            self = .dictionary(TemplateDictionary(d.keys.sorted().map { ($0, TemplateValue(any: d[$0])) }))
        default: self = .string("\(value!)")
        }
    }
}
