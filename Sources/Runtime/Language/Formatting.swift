/// Swift's textual forms of values: `description` (what `print` writes) and `debugDescription`
/// (what collections use for their elements and what the REPL echoes).
///
/// Inside collections struct and enum values are qualified with the module name `main`, as in a
/// program swiftc builds from one file (`[main.Point(x: 1.0, y: 2.0)]`).
public enum Formatter {
    /// A type's own text (`CustomStringConvertible.description` of a user struct), or nil for the
    /// default form.
    public typealias CustomDescription = (Value) -> String?

    /// What `print(value)` writes.
    public static func description(of value: Value, custom: CustomDescription? = nil) -> String {
        if let custom, let text = custom(value) { return text }
        switch value {
        case .string(let s): return s
        case .enumCase(let e): return caseText(e, custom)
        case .instance(let s):
            let fields = zip(s.type.storedPropertyNames, s.fields).map { "\($0): \(debugDescription(of: $1, custom: custom))" }
            return s.type.name + "(" + fields.joined(separator: ", ") + ")"
        case .range(let r): return rangeText(r, custom)
        case .object(let o): return objectDescription(o)
        case .type(let t): return t.name
        default: return debugDescription(of: value, custom: custom)
        }
    }

    /// What `debugPrint(value)` writes; also the form inside collections.
    public static func debugDescription(of value: Value, custom: CustomDescription? = nil) -> String {
        if let custom, let text = custom(value) { return text }
        switch value {
        case .void: return "()"
        case .int(let i): return String(i)
        case .double(let d): return d.description
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return s.debugDescription
        case .array(let items):
            return "[" + items.map { debugDescription(of: $0, custom: custom) }.joined(separator: ", ") + "]"
        case .dictionary(let d):
            if d.isEmpty { return "[:]" }
            return "[" + d.pairs.map { debugDescription(of: $0.key, custom: custom) + ": " + debugDescription(of: $0.value, custom: custom) }
                .joined(separator: ", ") + "]"
        case .tuple(let t): return tupleText(t, custom)
        case .range(let r): return (r.isClosed ? "ClosedRange(" : "Range(") + rangeText(r, custom) + ")"
        case .optional(let inner):
            guard let inner else { return "nil" }
            return "Optional(" + debugDescription(of: inner, custom: custom) + ")"
        case .function: return "(Function)"
        case .instance(let s):
            let fields = zip(s.type.storedPropertyNames, s.fields).map { "\($0): \(debugDescription(of: $1, custom: custom))" }
            return "main." + s.type.name + "(" + fields.joined(separator: ", ") + ")"
        case .enumCase(let e): return (e.type.map { "main." + $0.name + "." } ?? ".") + caseText(e, custom)
        case .type(let t): return t.name
        case .object(let o):
            if let debug = o as? CustomDebugStringConvertible { return debug.debugDescription }
            return objectDescription(o)
        }
    }

    /// A cell's result as the REPL shows it: the debug form, without the module prefix at the top.
    public static func resultBundle(for value: Value, custom: CustomDescription? = nil) -> MIMEBundle {
        var bundle = mimeBundle(for: value, custom: custom)
        let text = bundle.plainText
        if text.hasPrefix("main.") { bundle.data["text/plain"] = String(text.dropFirst(5)) }
        return bundle
    }

    /// A cell result's MIME bundle: the debug form as text/plain plus any rich forms.
    public static func mimeBundle(for value: Value, custom: CustomDescription? = nil) -> MIMEBundle {
        var bundle = MIMEBundle.plain(debugDescription(of: value, custom: custom))
        if case .object(let object) = value, let rich = object.mimeBundle() {
            bundle.data.merge(rich.data) { _, new in new }
            bundle.metadata.merge(rich.metadata) { _, new in new }
        }
        return bundle
    }

    private static func caseText(_ e: EnumCaseValue, _ custom: CustomDescription?) -> String {
        guard let payload = e.payload else { return e.name }
        return e.name + tupleText(payload, custom)
    }

    private static func tupleText(_ t: TupleValue, _ custom: CustomDescription?) -> String {
        let parts = zip(t.labels, t.values).map { label, value in
            (label.map { "\($0): " } ?? "") + debugDescription(of: value, custom: custom)
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }

    private static func rangeText(_ r: RangeValue, _ custom: CustomDescription?) -> String {
        debugDescription(of: r.lower, custom: custom) + (r.isClosed ? "..." : "..<") + debugDescription(of: r.upper, custom: custom)
    }

    private static func objectDescription(_ o: any NativeObject) -> String {
        if let described = o as? CustomStringConvertible { return described.description }
        return "<\(o.typeName)>"
    }
}
