/// One GGUF metadata value. Integer and float widths are kept as written; the accessors
/// (`int`, `float`, `string`, …) convert across widths so callers need not care.
public enum GGUFValue: Equatable, Sendable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    /// An array; elements share one value type, and arrays may nest.
    case array([GGUFValue])
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)

    /// The value as an `Int` when it is any integer type that fits (bools are not integers).
    public var int: Int? {
        switch self {
        case let .uint8(v): return Int(v)
        case let .int8(v): return Int(v)
        case let .uint16(v): return Int(v)
        case let .int16(v): return Int(v)
        case let .uint32(v): return Int(v)
        case let .int32(v): return Int(v)
        case let .uint64(v): return Int(exactly: v)
        case let .int64(v): return Int(v)
        default: return nil
        }
    }

    /// The value as a `Double` when it is a float (or an integer, converted).
    public var double: Double? {
        switch self {
        case let .float32(v): return Double(v)
        case let .float64(v): return v
        default: return int.map(Double.init)
        }
    }

    /// The value as a `Float` when it is a float (or an integer, converted).
    public var float: Float? { double.map(Float.init) }

    /// The value when it is a bool.
    public var bool: Bool? {
        if case let .bool(v) = self { return v }
        return nil
    }

    /// The value when it is a string.
    public var string: String? {
        if case let .string(v) = self { return v }
        return nil
    }

    /// The elements when the value is an array.
    public var array: [GGUFValue]? {
        if case let .array(v) = self { return v }
        return nil
    }

    /// The elements when the value is an array of strings.
    public var stringArray: [String]? {
        guard let elements = array else { return nil }
        var result = [String]()
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let s = element.string else { return nil }
            result.append(s)
        }
        return result
    }

    /// The elements when the value is an array of integers.
    public var intArray: [Int]? {
        guard let elements = array else { return nil }
        var result = [Int]()
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let i = element.int else { return nil }
            result.append(i)
        }
        return result
    }

    /// The elements when the value is an array of numbers, as `Float`.
    public var floatArray: [Float]? {
        guard let elements = array else { return nil }
        var result = [Float]()
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let f = element.float else { return nil }
            result.append(f)
        }
        return result
    }

    /// The GGUF value type this case is written as.
    public var valueType: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        }
    }
}

/// The type tag written before each GGUF metadata value.
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6
    case bool = 7, string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// Bytes one value occupies, or nil for strings and arrays (variable length).
    var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }

    /// The fewest bytes one value can occupy (used to reject absurd counts early).
    var minimumSize: Int {
        switch self {
        case .string: return 8
        case .array: return 12
        default: return fixedSize ?? 1
        }
    }
}
