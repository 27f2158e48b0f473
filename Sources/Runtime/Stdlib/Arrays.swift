/// Array members that change or build arrays; the read-only ones (map, filter, sorted, …) are
/// shared with other sequences in Sequences.swift.
extension StandardLibrary {
    static func registerArrays(in registry: NativeRegistry) {
        registry.type("Array", doc: "An ordered collection with value semantics.") { type in
            type.initializer([.labeled("repeating"), .labeled("count", "Int")], doc: "An array of `count` copies of a value.") { call in
                let count = try call.count("count")
                guard count <= maximumMaterializedCount else { throw call.error("count \(count) is too large") }
                return .array(Array(repeating: call["repeating"], count: count))
            }
            type.initializer([.positional("elements", "Sequence")], doc: "An array of a sequence's elements: Array(1...3), Array(\"abc\").") { call in
                .array(try sequenceElements(call["elements"], call))
            }
            type.initializer([], doc: "An empty array.") { _ in .array([]) }
            type.property("description", "String", doc: "The array as print shows it.") { value in
                .string(Formatter.description(of: value))
            }
            registerArrayMutations(type)
        }
    }

    private static func registerArrayMutations(_ type: NativeType) {
        type.mutatingMethod("append", [.positional("newElement", "Element")], doc: "Adds an element at the end.") { receiver, call in
            let element = call["newElement"]
            return try mutateArray(&receiver, call) { $0.append(element); return .void }
        }
        type.mutatingMethod("append", [.labeled("contentsOf", "Sequence")], doc: "Adds a sequence's elements at the end.") { receiver, call in
            let elements = try sequenceElements(call["contentsOf"], call)
            return try mutateArray(&receiver, call) { $0 += elements; return .void }
        }
        type.mutatingMethod("insert", [.positional("newElement", "Element"), .labeled("at", "Int")],
                            doc: "Inserts an element at an index (0...count).") { receiver, call in
            let element = call["newElement"]
            let index = try call.int("at")
            return try mutateArray(&receiver, call) { items in
                try checkIndex(index, in: 0...items.count, call)
                items.insert(element, at: index)
                return .void
            }
        }
        type.mutatingMethod("insert", [.labeled("contentsOf", "Sequence"), .labeled("at", "Int")],
                            doc: "Inserts a sequence's elements at an index.") { receiver, call in
            let elements = try sequenceElements(call["contentsOf"], call)
            let index = try call.int("at")
            return try mutateArray(&receiver, call) { items in
                try checkIndex(index, in: 0...items.count, call)
                items.insert(contentsOf: elements, at: index)
                return .void
            }
        }
        type.mutatingMethod("remove", [.labeled("at", "Int")], returns: "Element",
                            doc: "Removes and returns the element at an index.") { receiver, call in
            let index = try call.int("at")
            return try mutateArray(&receiver, call) { items in
                try checkIndex(index, in: 0..<items.count, call)
                return items.remove(at: index)
            }
        }
        type.mutatingMethod("removeLast", [.positional("k", "Int", default: .null)], returns: "Element",
                            doc: "Removes and returns the last element (or removes the last k).") { receiver, call in
            try mutateArray(&receiver, call) { items in
                try removeEnd(&items, fromFront: false, call)
            }
        }
        type.mutatingMethod("removeFirst", [.positional("k", "Int", default: .null)], returns: "Element",
                            doc: "Removes and returns the first element (or removes the first k).") { receiver, call in
            try mutateArray(&receiver, call) { items in
                try removeEnd(&items, fromFront: true, call)
            }
        }
        type.mutatingMethod("popLast", returns: "Element?", doc: "Removes and returns the last element, or nil when empty.") { receiver, call in
            try mutateArray(&receiver, call) { .optional($0.popLast()) }
        }
        type.mutatingMethod("removeAll", [.labeled("where", "(Element) -> Bool", default: .null)],
                            doc: "Removes every element (or those that satisfy the predicate).") { receiver, call in
            guard let predicate = call.optional("where") else {
                return try mutateArray(&receiver, call) { $0.removeAll(); return .void }
            }
            let f = try Convert.function(predicate, or: call.error("'where' must be a closure", kind: .typeMismatch))
            // Run the closure on a copy first so a throwing closure leaves the array unchanged.
            let kept = try Convert.array(receiver, or: call.error("expects an Array receiver", kind: .typeMismatch)).filter { try !call.test(f, [$0]) }
            receiver = .array(kept)
            return .void
        }
        type.mutatingMethod("sort", [.labeled("by", "(Element, Element) -> Bool", default: .null)],
                            doc: "Sorts the array in place (ascending, or by the ordering given).") { receiver, call in
            let less = try ValueOrdering.areInIncreasingOrder(call, closure: "by")
            let sorted = try Convert.array(receiver, or: call.error("expects an Array receiver", kind: .typeMismatch)).sorted(by: less)
            receiver = .array(sorted)
            return .void
        }
        type.mutatingMethod("reverse", doc: "Reverses the array in place.") { receiver, call in
            try mutateArray(&receiver, call) { $0.reverse(); return .void }
        }
        type.mutatingMethod("shuffle", doc: "Puts the elements in random order.") { receiver, call in
            try mutateArray(&receiver, call) { $0.shuffle(); return .void }
        }
        type.mutatingMethod("swapAt", [.positional("i", "Int"), .positional("j", "Int")],
                            doc: "Exchanges the elements at two indices.") { receiver, call in
            let i = try call.int("i"), j = try call.int("j")
            return try mutateArray(&receiver, call) { items in
                try checkIndex(i, in: 0..<items.count, call)
                try checkIndex(j, in: 0..<items.count, call)
                items.swapAt(i, j)
                return .void
            }
        }
    }

    private static func checkIndex<R: RangeExpression>(_ index: Int, in valid: R, _ call: NativeCall) throws where R.Bound == Int {
        guard valid.contains(index) else {
            throw call.error("Index out of range: index \(index) is not in \(valid)", kind: .indexOutOfRange)
        }
    }

    /// removeFirst/removeLast with an optional count.
    private static func removeEnd(_ items: inout [Value], fromFront: Bool, _ call: NativeCall) throws -> Value {
        let which = fromFront ? "first" : "last"
        guard let countValue = call.optional("k") else {
            guard !items.isEmpty else { throw call.error("can't remove \(which) element from an empty collection", kind: .indexOutOfRange) }
            return fromFront ? items.removeFirst() : items.removeLast()
        }
        let k = try Convert.int(countValue, or: call.error("the count must be an Int", kind: .typeMismatch))
        guard k >= 0 && k <= items.count else {
            throw call.error("can't remove \(k) elements from a collection of \(items.count)", kind: .indexOutOfRange)
        }
        if fromFront { items.removeFirst(k) } else { items.removeLast(k) }
        return .void
    }
}
