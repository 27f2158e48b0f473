/// A value of the cell language.
///
/// Arrays, dictionaries, tuples and struct instances are Swift value types here, so they get copy
/// on write for free; functions and native objects are references.
public enum Value {
    case void
    case int(Int)
    case double(Double)
    case bool(Bool)
    /// Strings and Characters (a Character is a one-character string).
    case string(String)
    case array([Value])
    case dictionary(DictionaryValue)
    case tuple(TupleValue)
    indirect case range(RangeValue)
    /// `nil` is `.optional(nil)`; `Optional(5)` is `.optional(.int(5))`.
    indirect case optional(Value?)
    case function(FunctionValue)
    case instance(StructInstance)
    case enumCase(EnumCaseValue)
    case type(TypeValue)
    case object(any NativeObject)

    /// `nil`.
    public static let null = Value.optional(nil)

    /// A Swift array of strings as a language array.
    public static func strings(_ items: [String]) -> Value { .array(items.map { .string($0) }) }

    /// The name of this value's type as Swift spells it (`Int`, `[String]`, `Point`).
    public var typeName: String {
        switch self {
        case .void: return "()"
        case .int: return "Int"
        case .double: return "Double"
        case .bool: return "Bool"
        case .string: return "String"
        case .array(let items): return "[\(Value.commonTypeName(items))]"
        case .dictionary(let d): return "[\(Value.commonTypeName(d.keys)): \(Value.commonTypeName(d.values))]"
        case .tuple(let t): return "(" + t.values.map(\.typeName).joined(separator: ", ") + ")"
        case .range(let r): return r.isClosed ? "ClosedRange<\(r.lower.typeName)>" : "Range<\(r.lower.typeName)>"
        case .optional(let v): return v.map { "Optional<\($0.typeName)>" } ?? "Optional"
        case .function: return "Function"
        case .instance(let s): return s.type.name
        case .enumCase(let e): return e.type?.name ?? "enum case"
        case .type(let t): return "\(t.name).Type"
        case .object(let o): return o.typeName
        }
    }

    /// The type's name as `type(of:)` prints it (`Array<Int>`, `Optional<String>`).
    public var genericTypeName: String {
        switch self {
        case .array(let items): return "Array<\(Value.commonGenericName(items))>"
        case .dictionary(let d): return "Dictionary<\(Value.commonGenericName(d.keys)), \(Value.commonGenericName(d.values))>"
        case .optional(let v): return "Optional<\(v?.genericTypeName ?? "Any")>"
        case .tuple(let t): return "(" + t.values.map(\.genericTypeName).joined(separator: ", ") + ")"
        default: return typeName
        }
    }

    static func commonGenericName(_ items: [Value]) -> String {
        guard let first = items.first else { return "Any" }
        let name = first.genericTypeName
        return items.allSatisfy({ $0.genericTypeName == name }) ? name : "Any"
    }

    /// The registry key for members of this value: `Array`, `Dictionary`, `Range`, ... or the
    /// type's own name.
    public var memberTypeName: String {
        switch self {
        case .array: return "Array"
        case .dictionary: return "Dictionary"
        case .tuple: return "Tuple"
        case .range(let r): return r.isClosed ? "ClosedRange" : "Range"
        case .optional: return "Optional"
        default: return typeName
        }
    }

    static func commonTypeName(_ items: [Value]) -> String {
        guard let first = items.first else { return "Any" }
        let name = first.typeName
        return items.allSatisfy({ $0.typeName == name }) ? name : "Any"
    }

    /// The value with one level of `Optional` removed; nil for `nil`.
    public var unwrapped: Value? {
        if case .optional(let inner) = self { return inner }
        return self
    }

    public var isNil: Bool {
        if case .optional(nil) = self { return true }
        return false
    }
}

/// A dictionary that keeps insertion order, so output is reproducible.
public struct DictionaryValue {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var index: [Value: Int] = [:]

    public init() {}

    public init(_ pairs: [(Value, Value)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    public var pairs: [(key: Value, value: Value)] { zip(keys, values).map { (key: $0, value: $1) } }

    /// Reading gives nil for a missing key; writing nil removes the key.
    public subscript(key: Value) -> Value? {
        get { index[key].map { values[$0] } }
        set {
            if let position = index[key] {
                if let newValue { values[position] = newValue } else { remove(at: position) }
            } else if let newValue {
                index[key] = keys.count
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Mutates the value stored under an existing key in place.
    mutating func modifyValue<R>(forKey key: Value, _ body: (inout Value) throws -> R) rethrows -> R? {
        guard let position = index[key] else { return nil }
        return try body(&values[position])
    }

    /// Runs `body` on `.optional(value)` for the key (`.optional(nil)` when missing), then stores
    /// the result: nil removes the key, anything else (wrapped or not) is stored, order kept.
    mutating func modifyEntry<R>(forKey key: Value, _ body: (inout Value) throws -> R) rethrows -> R {
        if let position = index[key] {
            var current = Value.optional(values[position])
            values[position] = .void
            let result: R
            do {
                result = try body(&current)
            } catch {
                if case .optional(let inner?) = current { values[position] = inner }
                throw error
            }
            switch current {
            case .optional(nil): remove(at: position)
            case .optional(let inner?): values[position] = inner
            default: values[position] = current
            }
            return result
        }
        var current = Value.null
        let result = try body(&current)
        switch current {
        case .optional(nil): break
        case .optional(let inner?): self[key] = inner
        default: self[key] = current
        }
        return result
    }

    @discardableResult
    public mutating func removeValue(forKey key: Value) -> Value? {
        guard let position = index[key] else { return nil }
        let old = values[position]
        remove(at: position)
        return old
    }

    private mutating func remove(at position: Int) {
        index[keys[position]] = nil
        keys.remove(at: position)
        values.remove(at: position)
        for i in position..<keys.count { index[keys[i]] = i }
    }
}

/// A tuple, possibly with labels (`(x: 1, y: 2)`).
public struct TupleValue {
    public var values: [Value]
    public var labels: [String?]

    public init(_ values: [Value], labels: [String?]? = nil) {
        self.values = values
        self.labels = labels ?? Array(repeating: nil, count: values.count)
    }

    public func index(ofLabel label: String) -> Int? { labels.firstIndex(of: label) }
}

/// `a..<b` or `a...b`; bounds are Ints or Doubles.
public struct RangeValue {
    public var lower: Value
    public var upper: Value
    public var isClosed: Bool

    public init(lower: Value, upper: Value, isClosed: Bool) {
        self.lower = lower
        self.upper = upper
        self.isClosed = isClosed
    }

    /// The Int bounds as a half-open Swift range, when both bounds are Ints.
    public var intRange: Range<Int>? {
        guard case .int(let low) = lower, case .int(let high) = upper else { return nil }
        if isClosed { return high == Int.max || high < low ? nil : low..<(high + 1) }
        return high < low ? nil : low..<high
    }
}

/// An instance of a user-declared struct.
public struct StructInstance {
    public let type: StructType
    public var fields: [Value]
}

/// A case of a user-declared enum; `type` is nil for an implicit member (`.north`) whose type is
/// not known yet.
public struct EnumCaseValue {
    public var type: EnumType?
    public var name: String
    public var payload: TupleValue?
}

/// A type used as a value: `Int`, `Point`, `Direction`, a native type.
public enum TypeValue {
    /// A built-in or registry type, by name (`Int`, `String`, `Model`).
    case named(String)
    case structure(StructType)
    case enumeration(EnumType)

    public var name: String {
        switch self {
        case .named(let n): return n
        case .structure(let s): return s.name
        case .enumeration(let e): return e.name
        }
    }
}

/// A reference-typed object implemented in Swift (a model, a trainer, a dataset).
///
/// Its members are declared in the `NativeRegistry` under `typeName`. Conform to
/// `CustomStringConvertible` to control how `print` shows it.
public protocol NativeObject: AnyObject {
    /// The registry type name that holds this object's members.
    var typeName: String { get }
    /// A rich rendering for `display(_:)` and cell results; nil means text/plain only.
    func mimeBundle() -> MIMEBundle?
}

extension NativeObject {
    public func mimeBundle() -> MIMEBundle? { nil }
}

/// A native object that `for x in object` and the sequence functions can walk (a dataset's rows).
public protocol NativeSequence: NativeObject {
    /// The elements, in order.
    func elements() throws -> [Value]
}

// MARK: - Equality and hashing (dictionary keys, ==, switch)

extension Value: Hashable {
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.void, .void): return true
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.int(a), .double(b)): return Double(a) == b
        case let (.double(a), .int(b)): return a == Double(b)
        case let (.bool(a), .bool(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.dictionary(a), .dictionary(b)):
            return a.count == b.count && a.pairs.allSatisfy { b[$0.key] == $0.value }
        case let (.tuple(a), .tuple(b)): return a.values == b.values
        case let (.range(a), .range(b)): return a.lower == b.lower && a.upper == b.upper && a.isClosed == b.isClosed
        case let (.optional(a), .optional(b)): return a == b
        case let (.optional(a?), b): return a == b
        case let (a, .optional(b?)): return a == b
        case let (.instance(a), .instance(b)): return a.type === b.type && a.fields == b.fields
        case let (.enumCase(a), .enumCase(b)):
            if let ta = a.type, let tb = b.type, ta !== tb { return false }
            return a.name == b.name && a.payload?.values == b.payload?.values
        case let (.function(a), .function(b)): return a === b
        case let (.object(a), .object(b)): return a === b
        case let (.type(a), .type(b)): return a.name == b.name
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .void: hasher.combine(0)
        case .int(let i):
            // Ints and integral Doubles compare equal, so they must hash alike.
            hasher.combine(Double(i))
        case .double(let d): hasher.combine(d)
        case .bool(let b): hasher.combine(b)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .dictionary(let d): hasher.combine(d.count)
        case .tuple(let t): hasher.combine(t.values)
        case .range(let r): hasher.combine(r.lower); hasher.combine(r.upper)
        case .optional(let v):
            if let v { v.hash(into: &hasher) } else { hasher.combine(-1) }
        case .instance(let s): hasher.combine(s.type.name); hasher.combine(s.fields)
        case .enumCase(let e): hasher.combine(e.name)
        case .function(let f): hasher.combine(ObjectIdentifier(f))
        case .object(let o): hasher.combine(ObjectIdentifier(o))
        case .type(let t): hasher.combine(t.name)
        }
    }
}
