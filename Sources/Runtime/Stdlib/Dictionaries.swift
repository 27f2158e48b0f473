/// Dictionary members (subscripts, including `d[k, default: v]`, are the interpreter's).
/// Iteration order is insertion order; Swift leaves it unspecified.
extension StandardLibrary {
    static func registerDictionaries(in registry: NativeRegistry) {
        registry.type("Dictionary", doc: "Key-value pairs with unique keys, with value semantics.") { type in
            type.initializer([], doc: "An empty dictionary.") { _ in .dictionary(DictionaryValue()) }
            type.initializer([.labeled("uniqueKeysWithValues", "[(Key, Value)]")],
                             doc: "A dictionary from (key, value) pairs; duplicate keys are an error.") { call in
                var result = DictionaryValue()
                for pair in try sequenceElements(call["uniqueKeysWithValues"], call) {
                    let (key, value) = try keyValue(pair, call)
                    guard result[key] == nil else { throw call.error("Duplicate values for key: \(call.context.debugDescribe(key))") }
                    result[key] = value
                }
                return .dictionary(result)
            }
            type.initializer([.positional("keysAndValues", "[(Key, Value)]"), .labeled("uniquingKeysWith", "(Value, Value) -> Value")],
                             doc: "A dictionary from pairs, combining the values of duplicate keys with the closure.") { call in
                let combine = try call.function("uniquingKeysWith")
                var result = DictionaryValue()
                for pair in try sequenceElements(call["keysAndValues"], call) {
                    let (key, value) = try keyValue(pair, call)
                    result[key] = try result[key].map { try call.call(combine, [$0, value]) } ?? value
                }
                return .dictionary(result)
            }
            type.initializer([.labeled("grouping", "Sequence"), .labeled("by", "(Element) -> Key")],
                             doc: "Groups a sequence's elements into arrays keyed by the closure's result.") { call in
                let keyFor = try call.function("by")
                var result = DictionaryValue()
                for element in try sequenceElements(call["grouping"], call) {
                    let key = try call.call(keyFor, [element])
                    if case .array(let items)? = result[key] { result[key] = .array(items + [element]) } else { result[key] = .array([element]) }
                }
                return .dictionary(result)
            }

            type.property("keys", "[Key]", doc: "The keys (in insertion order here).") { .array(try dictionary($0).keys) }
            type.property("values", "[Value]", doc: "The values, in the order of `keys`.") { .array(try dictionary($0).values) }
            type.property("count", "Int", doc: "The number of key-value pairs.") { .int(try dictionary($0).count) }
            type.property("isEmpty", "Bool", doc: "Whether the dictionary is empty.") { .bool(try dictionary($0).isEmpty) }
            type.property("description", "String", doc: "The dictionary as print shows it.") { .string(Formatter.description(of: $0)) }

            type.method("mapValues", [.positional("transform", "(Value) -> T")], returns: "[Key: T]",
                        doc: "The same keys with each value transformed.") { call in
                let f = try call.function("transform")
                let d = try call.receiverDictionary()
                return .dictionary(DictionaryValue(try d.pairs.map { ($0.key, try call.call(f, [$0.value])) }))
            }
            type.method("compactMapValues", [.positional("transform", "(Value) -> T?")], returns: "[Key: T]",
                        doc: "The keys whose transformed value is not nil, with those values.") { call in
                let f = try call.function("transform")
                let d = try call.receiverDictionary()
                return .dictionary(DictionaryValue(try d.pairs.compactMap { pair in
                    try call.call(f, [pair.value]).unwrapped.map { (pair.key, $0) }
                }))
            }
            type.method("filter", [.positional("isIncluded", "((key: Key, value: Value)) -> Bool")], returns: "[Key: Value]",
                        doc: "The pairs that satisfy the predicate, as a dictionary.") { call in
                let f = try call.function("isIncluded")
                let d = try call.receiverDictionary()
                return .dictionary(DictionaryValue(try d.pairs.filter { try call.test(f, [pairValue($0)]) }.map { ($0.key, $0.value) }))
            }
            type.method("index", [.labeled("forKey", "Key")], returns: "Int?",
                        doc: "The position of the key in iteration order, or nil.") { call in
                .optional(try call.receiverDictionary().keys.firstIndex(of: call["forKey"]).map { .int($0) })
            }
            type.method("merging", [.positional("other", "[Key: Value]"), .labeled("uniquingKeysWith", "(Value, Value) -> Value")],
                        returns: "[Key: Value]", doc: "A new dictionary with the other's pairs added; the closure picks values for shared keys.") { call in
                var d = try call.receiverDictionary()
                try merge(&d, call)
                return .dictionary(d)
            }
            type.mutatingMethod("merge", [.positional("other", "[Key: Value]"), .labeled("uniquingKeysWith", "(Value, Value) -> Value")],
                                doc: "Adds the other's pairs; the closure picks values for shared keys.") { receiver, call in
                var d = try dictionary(receiver)
                try merge(&d, call)
                receiver = .dictionary(d)
                return .void
            }
            type.mutatingMethod("removeValue", [.labeled("forKey", "Key")], returns: "Value?",
                                doc: "Removes a key and returns its old value, or nil.") { receiver, call in
                let key = call["forKey"]
                return try mutateDictionary(&receiver, call) { .optional($0.removeValue(forKey: key)) }
            }
            type.mutatingMethod("updateValue", [.positional("value", "Value"), .labeled("forKey", "Key")], returns: "Value?",
                                doc: "Sets a key's value and returns the old value, or nil when the key is new.") { receiver, call in
                let key = call["forKey"], value = call["value"]
                return try mutateDictionary(&receiver, call) { d in
                    let old = d[key]
                    d[key] = value
                    return .optional(old)
                }
            }
            type.mutatingMethod("removeAll", doc: "Removes every pair.") { receiver, call in
                try mutateDictionary(&receiver, call) { $0 = DictionaryValue(); return .void }
            }
        }
    }

    static func dictionary(_ value: Value) throws -> DictionaryValue {
        try Convert.dictionary(value, or: RuntimeError("expected a Dictionary, got \(value.typeName)", kind: .typeMismatch))
    }

    /// A (key:, value:) tuple as closures over dictionaries receive it.
    static func pairValue(_ pair: (key: Value, value: Value)) -> Value {
        .tuple(TupleValue([pair.key, pair.value], labels: ["key", "value"]))
    }

    private static func keyValue(_ pair: Value, _ call: NativeCall) throws -> (Value, Value) {
        guard case .tuple(let t) = pair, t.values.count == 2 else {
            throw call.error("expected (key, value) pairs, got \(pair.typeName)", kind: .typeMismatch)
        }
        return (t.values[0], t.values[1])
    }

    private static func merge(_ d: inout DictionaryValue, _ call: NativeCall) throws {
        let combine = try call.function("uniquingKeysWith")
        let other = try call.dictionary("other")
        for (key, value) in other.pairs {
            d[key] = try d[key].map { try call.call(combine, [$0, value]) } ?? value
        }
    }
}
