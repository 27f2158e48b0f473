/// Range and ClosedRange members that need no array of elements; the sequence members
/// (map, filter, reduce, reversed, …) come from Sequences.swift for Int ranges.
extension StandardLibrary {
    static func registerRanges(in registry: NativeRegistry) {
        for name in ["Range", "ClosedRange"] {
            registry.type(name, doc: name == "Range" ? "A half-open interval a..<b." : "A closed interval a...b.") { type in
                type.property("lowerBound", "Bound", doc: "The lower bound.") { .range(try range($0)).rangeBound(upper: false) }
                type.property("upperBound", "Bound", doc: "The upper bound.") { .range(try range($0)).rangeBound(upper: true) }
                type.property("count", "Int", doc: "The number of Ints in the range.") { .int(try intCount(try range($0))) }
                type.property("isEmpty", "Bool", doc: "Whether the range contains no values.") { value in
                    let r = try range(value)
                    return .bool(!r.isClosed && r.lower == r.upper)
                }
                type.property("first", "Int?", doc: "The first Int of the range, or nil when empty.") { value in
                    let r = try range(value)
                    return try intCount(r) == 0 ? .null : .optional(r.lower)
                }
                type.property("last", "Int?", doc: "The last Int of the range, or nil when empty.") { value in
                    let r = try range(value)
                    guard try intCount(r) > 0, case .int(let upper) = r.upper else { return .null }
                    return .optional(.int(r.isClosed ? upper : upper - 1))
                }
                type.method("contains", [.positional("value", "Bound")], returns: "Bool",
                            doc: "Whether the value lies in the range.") { call in
                    let r = try range(call.receiver)
                    let value = call["value"]
                    guard let low = ValueOrdering.compare(r.lower, value), let high = ValueOrdering.compare(value, r.upper) else {
                        throw call.error("cannot compare \(value.typeName) with the range's bounds", kind: .typeMismatch)
                    }
                    return .bool(low <= 0 && (r.isClosed ? high <= 0 : high < 0))
                }
                type.method("clamped", [.labeled("to", "Range")], returns: name, doc: "This range limited to another's bounds.") { call in
                    let r = try range(call.receiver)
                    let limits = try range(call["to"])
                    let lower = (ValueOrdering.compare(r.lower, limits.lower) ?? 0) < 0 ? limits.lower : r.lower
                    let upper = (ValueOrdering.compare(r.upper, limits.upper) ?? 0) > 0 ? limits.upper : r.upper
                    let clampedUpper = (ValueOrdering.compare(upper, lower) ?? 0) < 0 ? lower : upper
                    return .range(RangeValue(lower: lower, upper: clampedUpper, isClosed: r.isClosed))
                }
            }
        }
    }

    static func range(_ value: Value) throws -> RangeValue {
        guard case .range(let r) = value else { throw RuntimeError("expected a range, got \(value.typeName)", kind: .typeMismatch) }
        return r
    }

    private static func intCount(_ r: RangeValue) throws -> Int {
        guard case .int(let low) = r.lower, case .int(let high) = r.upper else {
            throw RuntimeError("only ranges of Int have a count", kind: .typeMismatch)
        }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow else { throw RuntimeError("the range's count does not fit in Int", kind: .overflow) }
        if r.isClosed {
            guard span < Int.max else { throw RuntimeError("the range's count does not fit in Int", kind: .overflow) }
            return max(span + 1, 0)
        }
        return max(span, 0)
    }
}

private extension Value {
    func rangeBound(upper: Bool) -> Value {
        guard case .range(let r) = self else { return .void }
        return upper ? r.upper : r.lower
    }
}
