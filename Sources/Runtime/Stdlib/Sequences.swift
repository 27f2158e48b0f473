/// Members every sequence shares: arrays, strings (of characters), Int ranges and dictionaries
/// (of (key:, value:) pairs). A type's own member with the same name (String.filter returning a
/// String, Dictionary.filter returning a Dictionary) is declared first and wins.
extension StandardLibrary {
    static func registerSequences(in registry: NativeRegistry) {
        for name in ["Array", "String", "Range", "ClosedRange", "Dictionary"] {
            registry.type(name) { type in registerSequenceMembers(on: type) }
        }
    }

    private static func registerSequenceMembers(on type: NativeType) {
        let ownMethods = Set(type.methods.keys)
        /// Declares a method unless the type declared its own by that name.
        func method(_ name: String, _ parameters: [NativeParameter] = [], returns: String, doc: String,
                    _ body: @escaping (NativeCall, [Value]) throws -> Value) {
            guard !ownMethods.contains(name) else { return }
            type.method(name, parameters, returns: returns, doc: doc) { call in
                try body(call, try sequenceElements(call.receiver, call))
            }
        }
        func property(_ name: String, _ valueType: String, doc: String, _ get: @escaping ([Value]) throws -> Value) {
            guard type.properties[name] == nil else { return }
            type.property(name, valueType, doc: doc) { receiver in
                try get(try elementsOf(receiver))
            }
        }

        property("count", "Int", doc: "The number of elements.") { .int($0.count) }
        property("isEmpty", "Bool", doc: "Whether there are no elements.") { .bool($0.isEmpty) }
        property("first", "Element?", doc: "The first element, or nil when empty.") { .optional($0.first) }
        property("last", "Element?", doc: "The last element, or nil when empty.") { .optional($0.last) }
        property("indices", "Range<Int>", doc: "The valid indices, 0..<count.") { items in
            .range(RangeValue(lower: .int(0), upper: .int(items.count), isClosed: false))
        }
        property("lazy", "Self", doc: "The same elements (operations run eagerly here).") { .array($0) }

        method("map", [.positional("transform", "(Element) -> T")], returns: "[T]",
               doc: "The results of calling the closure on each element.") { call, items in
            let f = try call.function("transform")
            var results: [Value] = []
            results.reserveCapacity(items.count)
            for item in items { results.append(try call.call(f, [item])) }
            return .array(results)
        }
        method("compactMap", [.positional("transform", "(Element) -> T?")], returns: "[T]",
               doc: "The non-nil results of calling the closure on each element.") { call, items in
            let f = try call.function("transform")
            return .array(try items.compactMap { try call.call(f, [$0]).unwrapped })
        }
        method("flatMap", [.positional("transform", "(Element) -> [T]")], returns: "[T]",
               doc: "The concatenated results of calling the closure on each element.") { call, items in
            let f = try call.function("transform")
            var results: [Value] = []
            for item in items {
                let result = try call.call(f, [item])
                if case .optional(let inner) = result {
                    if let inner { results.append(inner) }
                } else {
                    results += try sequenceElements(result, call)
                }
            }
            return .array(results)
        }
        method("filter", [.positional("isIncluded", "(Element) -> Bool")], returns: "[Element]",
               doc: "The elements that satisfy the predicate.") { call, items in
            let f = try call.function("isIncluded")
            return .array(try items.filter { try call.test(f, [$0]) })
        }
        method("reduce", [.positional("initialResult", "Result"), .positional("nextPartialResult", "(Result, Element) -> Result")],
               returns: "Result", doc: "Combines the elements: reduce(0, +) sums them.") { call, items in
            let f = try call.function("nextPartialResult")
            var result = call["initialResult"]
            // Swift infers `0` in `doubles.reduce(0) { $0 + $1 }` as a Double; so do we.
            if case .int(let start) = result, !items.isEmpty,
               items.allSatisfy({ if case .double = $0 { return true } else { return false } }) {
                result = .double(Double(start))
            }
            for item in items { result = try call.call(f, [result, item]) }
            return result
        }
        method("reduce", [.labeled("into", "Result"), .positional("updateAccumulatingResult", "(inout Result, Element) -> ()")],
               returns: "Result", doc: "Combines the elements by updating an accumulator: reduce(into: [:]) { $0[$1, default: 0] += 1 }.") { call, items in
            let f = try call.function("updateAccumulatingResult")
            var arguments = [call["into"], .void]
            for item in items {
                arguments[1] = item
                _ = try call.call(f, updating: &arguments)
            }
            return arguments[0]
        }
        method("forEach", [.positional("body", "(Element) -> Void")], returns: "Void",
               doc: "Calls the closure on each element in order.") { call, items in
            let f = try call.function("body")
            for item in items { _ = try call.call(f, [item]) }
            return .void
        }
        method("contains", [.positional("element", "Element")], returns: "Bool",
               doc: "Whether the sequence contains the element (or, given a closure, an element satisfying it).") { call, items in
            if case .function = call["element"] {
                return .bool(try items.contains { try call.test(call["element"], [$0]) })
            }
            return .bool(items.contains(call["element"]))
        }
        method("contains", [.labeled("where", "(Element) -> Bool")], returns: "Bool",
               doc: "Whether some element satisfies the predicate.") { call, items in
            let f = try call.function("where")
            return .bool(try items.contains { try call.test(f, [$0]) })
        }
        method("allSatisfy", [.positional("predicate", "(Element) -> Bool")], returns: "Bool",
               doc: "Whether every element satisfies the predicate.") { call, items in
            let f = try call.function("predicate")
            return .bool(try items.allSatisfy { try call.test(f, [$0]) })
        }
        method("count", [.labeled("where", "(Element) -> Bool")], returns: "Int",
               doc: "The number of elements that satisfy the predicate.") { call, items in
            let f = try call.function("where")
            return .int(try items.reduce(0) { try call.test(f, [$1]) ? $0 + 1 : $0 })
        }
        method("first", [.labeled("where", "(Element) -> Bool")], returns: "Element?",
               doc: "The first element that satisfies the predicate, or nil.") { call, items in
            let f = try call.function("where")
            return .optional(try items.first { try call.test(f, [$0]) })
        }
        method("last", [.labeled("where", "(Element) -> Bool")], returns: "Element?",
               doc: "The last element that satisfies the predicate, or nil.") { call, items in
            let f = try call.function("where")
            return .optional(try items.last { try call.test(f, [$0]) })
        }
        method("firstIndex", [.labeled("of", "Element")], returns: "Int?",
               doc: "The index of the first element equal to the value, or nil.") { call, items in
            .optional(items.firstIndex(of: call["of"]).map { .int($0) })
        }
        method("firstIndex", [.labeled("where", "(Element) -> Bool")], returns: "Int?",
               doc: "The index of the first element that satisfies the predicate, or nil.") { call, items in
            let f = try call.function("where")
            return .optional(try items.firstIndex { try call.test(f, [$0]) }.map { .int($0) })
        }
        method("lastIndex", [.labeled("of", "Element")], returns: "Int?",
               doc: "The index of the last element equal to the value, or nil.") { call, items in
            .optional(items.lastIndex(of: call["of"]).map { .int($0) })
        }
        method("lastIndex", [.labeled("where", "(Element) -> Bool")], returns: "Int?",
               doc: "The index of the last element that satisfies the predicate, or nil.") { call, items in
            let f = try call.function("where")
            return .optional(try items.lastIndex { try call.test(f, [$0]) }.map { .int($0) })
        }
        method("min", [.labeled("by", "(Element, Element) -> Bool", default: .null)], returns: "Element?",
               doc: "The smallest element (by `<` or the given ordering), or nil when empty.") { call, items in
            let less = try ValueOrdering.areInIncreasingOrder(call, closure: "by")
            guard var result = items.first else { return .null }
            for item in items.dropFirst() where try less(item, result) { result = item }
            return .optional(result)
        }
        method("max", [.labeled("by", "(Element, Element) -> Bool", default: .null)], returns: "Element?",
               doc: "The largest element (by `<` or the given ordering), or nil when empty.") { call, items in
            let less = try ValueOrdering.areInIncreasingOrder(call, closure: "by")
            guard var result = items.first else { return .null }
            for item in items.dropFirst() where try less(result, item) { result = item }
            return .optional(result)
        }
        method("sorted", [.labeled("by", "(Element, Element) -> Bool", default: .null)], returns: "[Element]",
               doc: "The elements sorted ascending, or by the ordering given: sorted(by: >), sorted { $0.count < $1.count }.") { call, items in
            let less = try ValueOrdering.areInIncreasingOrder(call, closure: "by")
            return .array(try items.sorted(by: less))
        }
        method("reversed", returns: "[Element]", doc: "The elements in reverse order.") { _, items in .array(items.reversed()) }
        method("enumerated", returns: "[(offset: Int, element: Element)]",
               doc: "Pairs of (offset, element): for (i, x) in xs.enumerated().") { _, items in
            .array(items.enumerated().map { .tuple(TupleValue([.int($0.offset), $0.element], labels: ["offset", "element"])) })
        }
        method("joined", [.labeled("separator", "String", default: .string(""))], returns: "String",
               doc: "The strings concatenated with the separator between them (arrays of arrays are flattened).") { call, items in
            let separator = try call.string("separator")
            if items.allSatisfy({ if case .string = $0 { return true }; return false }) {
                return .string(try items.map(string).joined(separator: separator))
            }
            var flat: [Value] = []
            for item in items { flat += try sequenceElements(item, call) }
            return .array(flat)
        }
        method("prefix", [.positional("maxLength", "Int")], returns: "[Element]", doc: "The first `maxLength` elements.") { call, items in
            .array(Array(items.prefix(try call.count("maxLength"))))
        }
        method("suffix", [.positional("maxLength", "Int")], returns: "[Element]", doc: "The last `maxLength` elements.") { call, items in
            .array(Array(items.suffix(try call.count("maxLength"))))
        }
        method("prefix", [.labeled("while", "(Element) -> Bool")], returns: "[Element]",
               doc: "The leading elements that satisfy the predicate.") { call, items in
            let f = try call.function("while")
            return .array(Array(try items.prefix { try call.test(f, [$0]) }))
        }
        method("dropFirst", [.positional("k", "Int", default: .int(1))], returns: "[Element]", doc: "All but the first `k` elements.") { call, items in
            .array(Array(items.dropFirst(try call.count("k"))))
        }
        method("dropLast", [.positional("k", "Int", default: .int(1))], returns: "[Element]", doc: "All but the last `k` elements.") { call, items in
            .array(Array(items.dropLast(try call.count("k"))))
        }
        method("drop", [.labeled("while", "(Element) -> Bool")], returns: "[Element]",
               doc: "The elements after the leading ones that satisfy the predicate.") { call, items in
            let f = try call.function("while")
            return .array(Array(try items.drop { try call.test(f, [$0]) }))
        }
        method("shuffled", returns: "[Element]", doc: "The elements in random order.") { _, items in .array(items.shuffled()) }
        method("randomElement", returns: "Element?", doc: "A random element, or nil when empty.") { _, items in .optional(items.randomElement()) }
        method("elementsEqual", [.positional("other", "Sequence")], returns: "Bool",
               doc: "Whether both sequences have equal elements in the same order.") { call, items in
            .bool(items == (try sequenceElements(call["other"], call)))
        }
    }

    /// `sequenceElements` for property getters, which have no call to name in errors.
    private static func elementsOf(_ value: Value) throws -> [Value] {
        switch value {
        case .array(let items): return items
        case .string(let text): return text.map { .string(String($0)) }
        case .dictionary(let d): return d.pairs.map { .tuple(TupleValue([$0.key, $0.value], labels: ["key", "value"])) }
        case .range(let r):
            if let ints = r.intRange {
                guard ints.fitsInMemory else {
                    throw RuntimeError("the range \(ints) has too many elements to turn into an array")
                }
                return ints.map { .int($0) }
            }
            if case .int = r.lower, case .int = r.upper { return [] }
            throw RuntimeError("a range of \(r.lower.typeName) has no elements to count", kind: .typeMismatch)
        default: throw RuntimeError("\(value.typeName) is not a sequence", kind: .typeMismatch)
        }
    }
}

/// zip and stride: global functions that build sequences (as arrays).
extension StandardLibrary {
    static func registerSequenceFunctions(in registry: NativeRegistry) {
        registry.function("zip", [.positional("sequence1", "Sequence"), .positional("sequence2", "Sequence")],
                          returns: "[(A, B)]", doc: "Pairs of elements from two sequences, as long as the shorter one.") { call in
            let a = try sequenceElements(call["sequence1"], call)
            let b = try sequenceElements(call["sequence2"], call)
            return .array(zip(a, b).map { .tuple(TupleValue([$0, $1])) })
        }
        for (label, closed) in [("to", false), ("through", true)] {
            registry.function("stride", [.labeled("from", "Number"), .labeled(label, "Number"), .labeled("by", "Number")],
                              returns: "[Number]",
                              doc: closed ? "The values from `from` up to and including `through`, stepping by `by`."
                                          : "The values from `from` up to but not including `to`, stepping by `by`.") { call in
                try stride(call, end: label, closed: closed)
            }
        }
    }

    private static func stride(_ call: NativeCall, end: String, closed: Bool) throws -> Value {
        if case .int(let start) = call["from"], case .int(let stop) = call[end], case .int(let step) = call["by"] {
            guard step != 0 else { throw call.error("the stride must not be zero") }
            let values = closed ? try materialize(Swift.stride(from: start, through: stop, by: step), call) { .int($0) }
                                : try materialize(Swift.stride(from: start, to: stop, by: step), call) { .int($0) }
            return .array(values)
        }
        let start = try call.double("from"), stop = try call.double(end), step = try call.double("by")
        guard step != 0, step.isFinite, start.isFinite, stop.isFinite else { throw call.error("the stride needs finite bounds and a non-zero step") }
        let values = closed ? try materialize(Swift.stride(from: start, through: stop, by: step), call) { .double($0) }
                            : try materialize(Swift.stride(from: start, to: stop, by: step), call) { .double($0) }
        return .array(values)
    }
}
