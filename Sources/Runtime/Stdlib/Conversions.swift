import Foundation

/// Initializers that convert between numbers and text: Int("4") → Int?, Double(7) → 7.0,
/// String(x), String(describing:), String(format:), Bool("true").
extension StandardLibrary {
    static func registerConversions(in registry: NativeRegistry) {
        registry.type("Int") { type in
            type.initializer([.positional("value")],
                             doc: "Int(3.9) → 3 (truncates); Int(\"42\") → Optional(42), nil when the text is not a whole number.") { call in
                switch call["value"] {
                case .int(let i): return .int(i)
                case .double(let d): return .int(try exactInt(d, call))
                case .string(let s): return .optional(Int(s).map { .int($0) })
                case .bool(let b): return .int(b ? 1 : 0)
                case let other: throw call.error("cannot convert \(other.typeName) to Int", kind: .typeMismatch)
                }
            }
            type.initializer([.positional("text", "String"), .labeled("radix", "Int")],
                             doc: "The number written in base `radix` (2...36), or nil.") { call in
                .optional(Int(try call.string("text"), radix: try radix(call)).map { .int($0) })
            }
            type.initializer([.labeled("exactly", "Double")], doc: "The Double as an Int when it is a whole number in range, else nil.") { call in
                switch call["exactly"] {
                case .int(let i): return .optional(.int(i))
                default: return .optional(Int(exactly: try call.double("exactly")).map { .int($0) })
                }
            }
        }
        registry.type("Double") { type in
            type.initializer([.positional("value")],
                             doc: "Double(7) → 7.0; Double(\"3.5\") → Optional(3.5), nil when the text is not a number.") { call in
                switch call["value"] {
                case .int(let i): return .double(Double(i))
                case .double(let d): return .double(d)
                case .string(let s): return .optional(Double(s).map { .double($0) })
                case let other: throw call.error("cannot convert \(other.typeName) to Double", kind: .typeMismatch)
                }
            }
        }
        registry.type("Bool") { type in
            type.initializer([.positional("value")], doc: "Bool(\"true\") → Optional(true); nil unless the text is true or false.") { call in
                switch call["value"] {
                case .bool(let b): return .bool(b)
                case .string(let s): return .optional(Bool(s).map { .bool($0) })
                case let other: throw call.error("cannot convert \(other.typeName) to Bool", kind: .typeMismatch)
                }
            }
        }
        registry.type("String") { type in
            type.initializer([], doc: "An empty string.") { _ in .string("") }
            type.initializer([.positional("value")], doc: "The value's description, as print writes it.") { call in
                .string(call.context.describe(call["value"]))
            }
            type.initializer([.labeled("describing")], doc: "The value's description, as print writes it.") { call in
                .string(call.context.describe(call["describing"]))
            }
            type.initializer([.labeled("reflecting")], doc: "The value's debug description (strings quoted), as the REPL shows it.") { call in
                .string(call.context.debugDescribe(call["reflecting"]))
            }
            type.initializer([.labeled("repeating", "String"), .labeled("count", "Int")], doc: "The text repeated `count` times.") { call in
                let text = try call.string("repeating")
                let count = try call.count("count")
                let (length, overflow) = text.count.multipliedReportingOverflow(by: count)
                guard !overflow, length <= maximumMaterializedCount else {
                    let size = overflow ? "more than \(Int.max)" : "\(length)"
                    throw call.error("the repeated string would be too long: \(text.count) characters × \(count) = \(size) characters; the limit is \(maximumMaterializedCount) characters")
                }
                return .string(String(repeating: text, count: count))
            }
            type.initializer([.positional("value", "Int"), .labeled("radix", "Int"), .labeled("uppercase", "Bool", default: .bool(false))],
                             doc: "The Int written in base `radix` (2...36).") { call in
                .string(String(try call.int("value"), radix: try radix(call), uppercase: try call.bool("uppercase")))
            }
            type.initializer([.labeled("format", "String"), .variadic("arguments", "CVarArg")],
                             doc: "printf-style formatting: String(format: \"%.2f\", x), %d, %5.1f, %@ / %s for text, %%.") { call in
                .string(try StringFormat.format(try call.string("format"), try call.array("arguments"), call))
            }
        }
    }

    private static func exactInt(_ d: Double, _ call: NativeCall) throws -> Int {
        guard d.isFinite else { throw call.error("Double value cannot be converted to Int because it is either infinite or NaN") }
        guard d > -9223372036854775809.0 && d < 9223372036854775808.0 else {
            throw call.error("Double value cannot be converted to Int because the result would be greater than Int.max or less than Int.min")
        }
        return Int(d)
    }

    private static func radix(_ call: NativeCall) throws -> Int {
        let radix = try call.int("radix")
        guard (2...36).contains(radix) else { throw call.error("radix must be between 2 and 36 (got \(radix))") }
        return radix
    }
}

/// printf-style formatting for String(format:), one conversion at a time through Foundation.
enum StringFormat {
    static func format(_ format: String, _ arguments: [Value], _ call: NativeCall) throws -> String {
        var output = ""
        var remaining = arguments[...]
        var characters = format[...]
        while let c = characters.popFirst() {
            guard c == "%" else { output.append(c); continue }
            var spec = ""
            while let next = characters.first, "-+ #0123456789.'".contains(next) { spec.append(next); characters.removeFirst() }
            while let next = characters.first, "hlqLzjt".contains(next) { characters.removeFirst() }
            guard let conversion = characters.popFirst() else { throw call.error("the format ends inside a % conversion") }
            if conversion == "%" { output.append("%"); continue }
            guard let argument = remaining.popFirst() else {
                throw call.error("the format has more conversions than arguments (\(arguments.count))")
            }
            output += try convert(argument, spec: spec, conversion: conversion, call)
        }
        return output
    }

    /// The widest field and the longest precision a conversion may ask for: `%1000000000.3f` would
    /// build a gigabyte string (and took minutes), so larger values are an error.
    static let maximumFieldSize = 10_000

    private static func convert(_ argument: Value, spec: String, conversion: Character, _ call: NativeCall) throws -> String {
        for field in spec.split(whereSeparator: { !$0.isNumber }) {
            guard let size = Int(field), size <= maximumFieldSize else {
                throw call.error("the width or precision \(field) in %\(spec)\(conversion) is too large (at most \(maximumFieldSize))")
            }
        }
        switch conversion {
        case "d", "i", "u", "x", "X", "o", "c":
            let n: Int
            switch argument {
            case .int(let i): n = i
            case .bool(let b): n = b ? 1 : 0
            default: throw call.error("%\(conversion) needs an Int, got \(argument.typeName)", kind: .typeMismatch)
            }
            if conversion == "c" {
                guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: n)) else { return "" }
                return pad(String(Character(scalar)), spec)
            }
            return String(format: "%" + spec + "l" + String(conversion), n)
        case "f", "F", "e", "E", "g", "G", "a", "A":
            let d = try Convert.double(argument, or: call.error("%\(conversion) needs a number, got \(argument.typeName)", kind: .typeMismatch))
            return String(format: "%" + spec + String(conversion), d)
        case "@", "s":
            return pad(call.context.describe(argument), spec)
        default:
            throw call.error("unsupported conversion %\(conversion) (use %d, %f, %e, %g, %x, %@, %s or %%)")
        }
    }

    /// Width and precision for text conversions: %10s, %-10@, %.3s.
    private static func pad(_ text: String, _ spec: String) -> String {
        let leftAlign = spec.contains("-")
        let parts = spec.filter { $0.isNumber || $0 == "." }.split(separator: ".", omittingEmptySubsequences: false)
        var result = text
        if parts.count > 1, let precision = Int(parts[1]) { result = String(result.prefix(precision)) }
        if let first = parts.first, let width = Int(first.drop { $0 == "0" }), result.count < width {
            let padding = String(repeating: " ", count: width - result.count)
            result = leftAlign ? result + padding : padding + result
        }
        return result
    }
}
