/// Writes JSON text: the layout (compact or indented, separators, key order) and string
/// escaping for every JSON we produce. `JSONValue`s are written whole with `bytes(_:)` /
/// `string(_:)`; other value types (dataset cells, template values) write themselves through a
/// `JSONOutput` from `output()`.
///
/// Non-finite numbers written with `JSONOutput.double` become `null`: Jupyter clients parse with
/// `allow_nan=False`, so NaN or Infinity must never reach the wire.
public struct JSONWriter: Sendable {
    /// The text of one indentation level; nil writes everything on one line.
    public var indentUnit: String?
    /// Between array elements and object members (a newline and indentation follow when indented).
    public var itemSeparator: String
    /// Between an object key and its value.
    public var keySeparator: String
    /// Writes object members in key order (notebooks diff cleanly).
    public var sortedKeys: Bool

    /// Compact `{"a":1,"b":[2,3]}`, or with `indent` spaces per level `{\n "a": 1, …`.
    public init(indent: Int? = nil, sortedKeys: Bool = false) {
        self.init(indentUnit: indent.map { String(repeating: " ", count: $0) },
                  itemSeparator: ",", keySeparator: indent == nil ? ":" : ": ", sortedKeys: sortedKeys)
    }

    /// Any layout, as Python's `json.dumps(indent=, separators=(item, key), sort_keys=)`.
    public init(indentUnit: String?, itemSeparator: String, keySeparator: String, sortedKeys: Bool) {
        self.indentUnit = indentUnit
        self.itemSeparator = itemSeparator
        self.keySeparator = keySeparator
        self.sortedKeys = sortedKeys
    }

    /// An empty output in this layout.
    public func output() -> JSONOutput { JSONOutput(layout: self) }

    /// The UTF-8 bytes of `value`.
    public func bytes(_ value: JSONValue) -> [UInt8] {
        var out = output()
        out.write(value)
        return out.bytes
    }

    /// `value` as a string.
    public func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }
}

/// JSON text being written in a `JSONWriter`'s layout, one value at a time.
public struct JSONOutput {
    public let layout: JSONWriter
    /// The UTF-8 text so far.
    public private(set) var bytes: [UInt8] = []
    /// How many arrays and objects are open around the next value.
    public private(set) var depth = 0

    init(layout: JSONWriter) {
        self.layout = layout
        bytes.reserveCapacity(256)
    }

    /// The text so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func null() { literal("null") }
    public mutating func bool(_ value: Bool) { literal(value ? "true" : "false") }
    public mutating func int(_ value: Int) { literal(String(value)) }
    public mutating func string(_ value: String) { literal(JSONString.quoted(value)) }

    /// A number the shortest way that reads back exactly (`2.0` keeps its `.0`); NaN and
    /// infinities as `null`.
    public mutating func double(_ value: Double) {
        guard value.isFinite else { return null() }
        if value.rounded() == value, abs(value) < 1e15 {
            literal(String(Int(value)) + ".0")
        } else {
            literal("\(value)")
        }
    }

    /// Text written as it is (a number formatted by the caller).
    public mutating func literal(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// An array whose elements `element` writes.
    public mutating func array<Elements: Collection, Failure: Error>(
        _ elements: Elements, _ element: (inout JSONOutput, Elements.Element) throws(Failure) -> Void
    ) throws(Failure) {
        if elements.isEmpty { return literal("[]") }
        literal("[")
        depth += 1
        for (index, item) in elements.enumerated() {
            if index > 0 { literal(layout.itemSeparator) }
            newline()
            try element(&self, item)
        }
        depth -= 1
        newline()
        literal("]")
    }

    /// An object of `members` (sorted by key when the layout says so) whose values `value` writes.
    public mutating func object<Value, Failure: Error>(
        _ members: [(key: String, value: Value)], _ value: (inout JSONOutput, Value) throws(Failure) -> Void
    ) throws(Failure) {
        if members.isEmpty { return literal("{}") }
        let ordered = layout.sortedKeys ? members.sorted { $0.key < $1.key } : members
        literal("{")
        depth += 1
        for (index, member) in ordered.enumerated() {
            if index > 0 { literal(layout.itemSeparator) }
            newline()
            string(member.key)
            literal(layout.keySeparator)
            try value(&self, member.value)
        }
        depth -= 1
        newline()
        literal("}")
    }

    /// A whole `JSONValue`.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .int(let number): int(number)
        case .double(let number): double(number)
        case .string(let text): string(text)
        case .array(let items): array(items) { out, item in out.write(item) }
        case .object(let members): object(members.map { ($0.key, $0.value) }) { out, item in out.write(item) }
        }
    }

    private mutating func newline() {
        guard let unit = layout.indentUnit else { return }
        literal("\n")
        for _ in 0..<depth { literal(unit) }
    }
}
