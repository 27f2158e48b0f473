import Foundation
import TextFormats

/// A value inside a chat template, with Python/Jinja semantics (truthiness, `str()`, equality).
public enum TemplateValue {
    /// A missing variable, attribute or key. Renders as "", is falsy, and fails in arithmetic.
    case undefined(String)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// A string marked safe (`| safe`), like MarkupSafe's `Markup`: `+` with it HTML-escapes plain strings.
    case markup(String)
    case array([TemplateValue])
    /// A Python tuple: `(a, b)`, `dict.items()` pairs. Prints with parentheses; JSON writes it as a list.
    case tuple([TemplateValue])
    case dictionary(TemplateDictionary)
    /// The mutable object made by `namespace(...)`.
    case namespace(TemplateNamespace)
    case function(TemplateFunction)

    /// Python truthiness.
    public var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case let .bool(b): return b
        case let .int(n): return n != 0
        case let .double(d): return d != 0
        case let .string(s), let .markup(s): return !s.isEmpty
        case let .array(a), let .tuple(a): return !a.isEmpty
        case let .dictionary(d): return !d.isEmpty
        case .namespace, .function: return true
        }
    }

    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// The type name Python would print, for error messages.
    var typeName: String {
        switch self {
        case .undefined: return "undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string, .markup: return "str"
        case .array: return "list"
        case .tuple: return "tuple"
        case .dictionary: return "dict"
        case .namespace: return "Namespace"
        case .function: return "function"
        }
    }

    /// Python `str(value)`: what `{{ value }}` prints.
    public var text: String {
        switch self {
        case .undefined: return ""
        case let .string(s), let .markup(s): return s
        default: return repr
        }
    }

    /// Python `repr(value)`.
    public var repr: String {
        switch self {
        case .undefined: return ""
        case .none: return "None"
        case let .bool(b): return b ? "True" : "False"
        case let .int(n): return String(n)
        case let .double(d): return Self.pythonFloat(d)
        case let .string(s), let .markup(s): return PythonLiteral.quoted(s)
        case let .array(items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case let .tuple(items): return "(" + items.map(\.repr).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        case let .dictionary(d):
            return "{" + d.pairs.map { "\(PythonLiteral.quoted($0.key)): \($0.value.repr)" }.joined(separator: ", ") + "}"
        case let .namespace(ns): return "<Namespace \(ns.values.pairs.map { "\($0.key)=\($0.value.repr)" }.joined(separator: ", "))>"
        case let .function(f): return "<function \(f.name)>"
        }
    }

    /// Python's float repr: shortest round-trip digits, `.0` for integral values, `e±XX` exponents.
    static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == d.rounded(), abs(d) < 1e16 {
            return String(format: "%.1f", d)
        }
        var s = "\(d)" // Swift also prints the shortest round-trip digits
        if let e = s.firstIndex(of: "e") {
            var mantissa = String(s[..<e])
            var exponent = String(s[s.index(after: e)...])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            let sign = exponent.hasPrefix("-") ? "-" : "+"
            exponent = exponent.trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
            if exponent.count < 2 { exponent = "0" + exponent }
            s = mantissa + "e" + sign + exponent
        }
        return s
    }
}

/// An insertion-ordered string-keyed dictionary, like a Python dict.
public struct TemplateDictionary {
    public private(set) var keys: [String] = []
    private var storage: [String: TemplateValue] = [:]
    /// The original key values of keys that were not strings (`{1024: 256}`), by their text.
    private var nonStringKeys: [String: TemplateValue] = [:]

    public init() {}

    public init(_ pairs: [(String, TemplateValue)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public subscript(key: String) -> TemplateValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Sets `value` under a key of any type (ints keep their type for iteration and dictsort).
    public mutating func set(_ value: TemplateValue, forKey key: TemplateValue) {
        let text = key.text
        if case .string = key { nonStringKeys[text] = nil } else { nonStringKeys[text] = key }
        self[text] = value
    }

    /// The key as written: a string, or the int/other value it was created with.
    public func keyValue(_ key: String) -> TemplateValue { nonStringKeys[key] ?? .string(key) }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    public var pairs: [(key: String, value: TemplateValue)] { keys.map { ($0, storage[$0]!) } }
    public var values: [TemplateValue] { keys.map { storage[$0]! } }
}

/// The object `namespace()` returns: attributes may be reassigned from inside loops.
public final class TemplateNamespace {
    var values: TemplateDictionary

    init(_ values: TemplateDictionary) {
        self.values = values
    }
}

/// A callable: a global function, a macro, or a bound method such as `text.strip`.
public final class TemplateFunction {
    public typealias Body = (_ arguments: [TemplateValue], _ keywords: [(String, TemplateValue)]) throws -> TemplateValue
    let name: String
    let body: Body

    public init(name: String, body: @escaping Body) {
        self.name = name
        self.body = body
    }
}

extension TemplateValue: Equatable {
    /// Python `==`: numbers compare across int/float/bool, containers deeply.
    public static func == (a: TemplateValue, b: TemplateValue) -> Bool {
        switch (a.plain, b.plain) {
        case (.undefined, .undefined), (.none, .none): return true
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)), let (.tuple(x), .tuple(y)): return x == y
        case let (.dictionary(x), .dictionary(y)):
            return x.count == y.count && x.pairs.allSatisfy { y[$0.key] == $0.value }
        case let (.namespace(x), .namespace(y)): return x === y
        case let (.function(x), .function(y)): return x === y
        default:
            if let x = a.number, let y = b.number { return x == y }
            return false
        }
    }

    /// A `.markup` string as a plain `.string`; other values unchanged.
    public var plain: TemplateValue {
        if case let .markup(s) = self { return .string(s) }
        return self
    }

    /// The elements of a list or tuple.
    public var elements: [TemplateValue]? {
        switch self {
        case let .array(items), let .tuple(items): return items
        default: return nil
        }
    }

    /// The value as a number when it is a bool, int or float.
    var number: Double? {
        switch self {
        case let .bool(b): return b ? 1 : 0
        case let .int(n): return Double(n)
        case let .double(d): return d
        default: return nil
        }
    }
}
