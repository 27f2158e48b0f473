import Foundation

/// One cell of a dataset: a JSON-like value.
///
/// Loaders produce these (CSV cells are strings unless type inference is asked for), and
/// literals build them directly: `["role": "user", "content": "Hi"]` is an `.object`.
public enum DatasetValue: Hashable, Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([DatasetValue])
    case object([String: DatasetValue])
}

extension DatasetValue {
    /// The string, or nil for any other kind of value.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, or a double with no fractional part, or a string that spells an integer.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value):
            guard value.rounded() == value, abs(value) < 9.0e18 else { return nil }
            return Int(value)
        case .string(let value): return Int(value.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// The number as a double (ints widen), or a string that spells a number.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        case .string(let value): return Double(value.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// The boolean, or nil for any other kind of value.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of an array, or nil for any other kind of value.
    public var arrayValue: [DatasetValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The fields of an object, or nil for any other kind of value.
    public var objectValue: [String: DatasetValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// True for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The field of an object, or `.null` when this is not an object or has no such field.
    public subscript(key: String) -> DatasetValue {
        objectValue?[key] ?? .null
    }

    /// The text a person expects to read: strings without quotes, everything else as JSON.
    public var text: String {
        if case .string(let value) = self { return value }
        return jsonString
    }
}

extension DatasetValue: CustomStringConvertible {
    public var description: String { jsonString }
}

extension DatasetValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension DatasetValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension DatasetValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension DatasetValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension DatasetValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension DatasetValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: DatasetValue...) { self = .array(elements) }
}

extension DatasetValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, DatasetValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
