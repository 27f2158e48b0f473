/// The session's top-level bindings: one slot per name, reused when a later cell redeclares it.
final class GlobalTable {
    struct Entry {
        var name: String
        var value: Value?
        var isMutable: Bool
        var type: TypeAnnotation?
        var doc: String?
        /// What declared it, for completion: "variable", "function", "type".
        var kind: String
    }

    private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]

    /// The slot for `name`, created empty when new.
    func slot(for name: String) -> Int {
        if let i = index[name] { return i }
        entries.append(Entry(name: name, value: nil, isMutable: true, type: nil, doc: nil, kind: "variable"))
        index[name] = entries.count - 1
        return entries.count - 1
    }

    func lookup(_ name: String) -> Int? { index[name] }

    func value(of name: String) -> Value? { index[name].flatMap { entries[$0].value } }

    @inline(__always) func read(_ slot: Int) -> Value? { entries[slot].value }

    @inline(__always) func write(_ slot: Int, _ value: Value) { entries[slot].value = value }

    /// Declares (or redeclares) the binding in `slot`.
    func declare(_ slot: Int, isMutable: Bool, type: TypeAnnotation?, doc: String?, kind: String) {
        entries[slot].isMutable = isMutable
        entries[slot].type = type
        entries[slot].doc = doc
        entries[slot].kind = kind
    }

    /// Removes the value temporarily (so the caller can mutate it uniquely) and returns it.
    @inline(__always) func take(_ slot: Int) -> Value? {
        let value = entries[slot].value
        entries[slot].value = .void
        return value
    }

    /// Names that currently hold a value.
    var definedNames: [(name: String, kind: String)] {
        entries.filter { $0.value != nil }.map { ($0.name, $0.kind) }
    }

    func entry(named name: String) -> Entry? { index[name].map { entries[$0] } }
}
