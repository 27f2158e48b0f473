/// Sets, as arrays without duplicates kept in ascending order (first-occurrence order when the
/// elements are not comparable), so `Set(a) == Set(b)` and printing behave as Swift's Set with
/// one particular order.
extension StandardLibrary {
    static func registerSets(in registry: NativeRegistry) {
        registry.type("Set", doc: "A collection of unique elements (an ordered array without duplicates here).") { type in
            type.initializer([], doc: "An empty set.") { _ in .array([]) }
            type.initializer([.positional("elements", "Sequence")], doc: "The unique elements of a sequence.") { call in
                .array(uniqueSorted(try sequenceElements(call["elements"], call)))
            }
        }
        registry.type("Array") { type in
            let algebra: [(String, String, String, ([Value], [Value]) -> [Value])] = [
                ("union", "other", "The elements of either collection, without duplicates.", { $0 + $1 }),
                ("intersection", "other", "The elements of this collection that the other also has, without duplicates.", { a, b in a.filter(b.contains) }),
                ("subtracting", "other", "The elements of this collection that the other lacks, without duplicates.", { a, b in a.filter { !b.contains($0) } }),
                ("symmetricDifference", "other", "The elements in exactly one of the collections.", { a, b in
                    a.filter { !b.contains($0) } + b.filter { !a.contains($0) } }),
            ]
            for (name, parameter, doc, combine) in algebra {
                type.method(name, [.positional(parameter, "Sequence")], returns: "Set<Element>", doc: doc + " (Set)") { call in
                    .array(uniqueSorted(combine(try call.receiverArray(), try sequenceElements(call[parameter], call))))
                }
            }
            let relations: [(String, String, String, ([Value], [Value]) -> Bool)] = [
                ("isSubset", "of", "Whether every element is in the other collection.", { a, b in a.allSatisfy(b.contains) }),
                ("isSuperset", "of", "Whether every element of the other collection is in this one.", { a, b in b.allSatisfy(a.contains) }),
                ("isDisjoint", "with", "Whether the collections share no element.", { a, b in !a.contains(where: b.contains) }),
            ]
            for (name, label, doc, test) in relations {
                type.method(name, [.labeled(label, "Sequence")], returns: "Bool", doc: doc + " (Set)") { call in
                    .bool(test(try call.receiverArray(), try sequenceElements(call[label], call)))
                }
            }
            type.mutatingMethod("insert", [.positional("newMember", "Element")], returns: "(inserted: Bool, memberAfterInsert: Element)",
                                doc: "Adds the element unless it is already present (Set).") { receiver, call in
                let element = call["newMember"]
                return try mutateArray(&receiver, call) { items in
                    if items.contains(element) {
                        return .tuple(TupleValue([.bool(false), element], labels: ["inserted", "memberAfterInsert"]))
                    }
                    let position = items.firstIndex { ValueOrdering.compare(element, $0).map { $0 < 0 } ?? false } ?? items.count
                    items.insert(element, at: position)
                    return .tuple(TupleValue([.bool(true), element], labels: ["inserted", "memberAfterInsert"]))
                }
            }
            type.mutatingMethod("formUnion", [.positional("other", "Sequence")], doc: "Adds the other collection's elements (Set).") { receiver, call in
                let other = try sequenceElements(call["other"], call)
                return try mutateArray(&receiver, call) { $0 = uniqueSorted($0 + other); return .void }
            }
            type.mutatingMethod("remove", [.positional("member", "Element")], returns: "Element?",
                                doc: "Removes the element and returns it, or nil when absent (Set).") { receiver, call in
                let member = call["member"]
                return try mutateArray(&receiver, call) { items in
                    guard let i = items.firstIndex(of: member) else { return .null }
                    return .optional(items.remove(at: i))
                }
            }
        }
    }

    /// Unique elements, ascending when all are comparable, else in first-occurrence order.
    static func uniqueSorted(_ items: [Value]) -> [Value] {
        var seen = Set<Value>()
        let unique = items.filter { seen.insert($0).inserted }
        let comparable = unique.count < 2 || unique.dropFirst().allSatisfy { ValueOrdering.compare(unique[0], $0) != nil }
        guard comparable else { return unique }
        return unique.sorted { (ValueOrdering.compare($0, $1) ?? 0) < 0 }
    }
}
