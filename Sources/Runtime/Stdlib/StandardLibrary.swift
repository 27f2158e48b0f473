/// The standard library of the cell language, declared through the native registry.
///
/// Each file registers one family: output, input, strings, characters, regular expressions,
/// sequences (shared by arrays, ranges, strings and dictionaries), arrays, dictionaries,
/// numbers and math, conversions, dates.
enum StandardLibrary {
    static func register(in registry: NativeRegistry) {
        registerOutput(in: registry)
        registerInput(in: registry)
        registerStrings(in: registry)
        registerCharacters(in: registry)
        registerRegex(in: registry)
        registerArrays(in: registry)
        registerDictionaries(in: registry)
        registerRanges(in: registry)
        registerSets(in: registry)
        registerSequences(in: registry)
        registerSequenceFunctions(in: registry)
        registerNumbers(in: registry)
        registerMath(in: registry)
        registerConversions(in: registry)
        registerDates(in: registry)
    }
}

// MARK: - Helpers shared by the library files

extension Range where Bound == Int {
    /// Whether the range has at most `maximumMaterializedCount` elements (without overflowing on
    /// ranges such as the partial `...4`, whose lower bound is Int.min).
    var fitsInMemory: Bool {
        let (count, overflow) = upperBound.subtractingReportingOverflow(lowerBound)
        return !overflow && count <= maximumMaterializedCount
    }
}

extension NativeCall {
    /// The receiver as a String (Strings, Substrings and Characters are all strings here).
    func receiverString() throws -> String {
        try Convert.string(receiver, or: error("expects a String receiver, got \(receiver.typeName)", kind: .typeMismatch))
    }

    func receiverArray() throws -> [Value] {
        try Convert.array(receiver, or: error("expects an Array receiver, got \(receiver.typeName)", kind: .typeMismatch))
    }

    func receiverDictionary() throws -> DictionaryValue {
        try Convert.dictionary(receiver, or: error("expects a Dictionary receiver, got \(receiver.typeName)", kind: .typeMismatch))
    }

    func receiverDouble() throws -> Double {
        try Convert.double(receiver, or: error("expects a number receiver, got \(receiver.typeName)", kind: .typeMismatch))
    }

    func receiverInt() throws -> Int {
        try Convert.int(receiver, or: error("expects an Int receiver, got \(receiver.typeName)", kind: .typeMismatch))
    }

    /// Calls a closure that must return a Bool (filter, contains(where:), sorted(by:)).
    func test(_ predicate: Value, _ arguments: [Value]) throws -> Bool {
        let result = try call(predicate, arguments)
        return try Convert.bool(result, or: error("the closure must return a Bool, got \(result.typeName)", kind: .typeMismatch))
    }

    /// A non-negative Int argument (prefix, dropFirst, count).
    func count(_ name: String) throws -> Int {
        let n = try int(name)
        guard n >= 0 else { throw error("'\(name)' must not be negative (got \(n))") }
        return n
    }
}

/// Changes an array stored in `receiver` in place without copying its storage.
///
/// The receiver is emptied while `body` runs so the array is uniquely referenced; it is put
/// back even when `body` throws.
func mutateArray(_ receiver: inout Value, _ call: NativeCall, _ body: (inout [Value]) throws -> Value) throws -> Value {
    guard case .array(var items) = receiver else {
        throw call.error("expects an Array receiver, got \(receiver.typeName)", kind: .typeMismatch)
    }
    receiver = .void
    defer { receiver = .array(items) }
    return try body(&items)
}

/// Changes a dictionary stored in `receiver` in place (see `mutateArray`).
func mutateDictionary(_ receiver: inout Value, _ call: NativeCall, _ body: (inout DictionaryValue) throws -> Value) throws -> Value {
    guard case .dictionary(var dictionary) = receiver else {
        throw call.error("expects a Dictionary receiver, got \(receiver.typeName)", kind: .typeMismatch)
    }
    receiver = .void
    defer { receiver = .dictionary(dictionary) }
    return try body(&dictionary)
}

/// Changes a string stored in `receiver` in place (see `mutateArray`).
func mutateString(_ receiver: inout Value, _ call: NativeCall, _ body: (inout String) throws -> Value) throws -> Value {
    guard case .string(var text) = receiver else {
        throw call.error("expects a String receiver, got \(receiver.typeName)", kind: .typeMismatch)
    }
    receiver = .void
    defer { receiver = .string(text) }
    return try body(&text)
}

/// Swift's ordering of values for sorted(), min(), max() and friends.
enum ValueOrdering {
    /// -1, 0 or 1; nil when the two values cannot be compared.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? -1 : x == y ? 0 : 1
        case let (.double(x), .double(y)): return x < y ? -1 : x == y ? 0 : 1
        case let (.int(x), .double(y)): return Double(x) < y ? -1 : Double(x) == y ? 0 : 1
        case let (.double(x), .int(y)): return x < Double(y) ? -1 : x == Double(y) ? 0 : 1
        case let (.string(x), .string(y)): return x < y ? -1 : x == y ? 0 : 1
        case let (.tuple(x), .tuple(y)) where x.values.count == y.values.count:
            for (p, q) in zip(x.values, y.values) {
                guard let c = compare(p, q) else { return nil }
                if c != 0 { return c }
            }
            return 0
        case let (.enumCase(x), .enumCase(y)):
            guard let type = x.type ?? y.type, let i = type.caseIndex[x.name], let j = type.caseIndex[y.name] else { return nil }
            return i < j ? -1 : i == j ? 0 : 1
        default:
            return nil
        }
    }

    /// `a < b`, or a runtime error naming the call when the values are not comparable.
    static func isLess(_ a: Value, _ b: Value, _ call: NativeCall) throws -> Bool {
        guard let c = compare(a, b) else {
            throw call.error("cannot compare \(a.typeName) with \(b.typeName)", kind: .typeMismatch)
        }
        return c < 0
    }

    /// The ordering a call asks for: its closure argument `name` if given, else `<`.
    static func areInIncreasingOrder(_ call: NativeCall, closure name: String?) throws -> (Value, Value) throws -> Bool {
        if let name, let closure = call.optional(name), closure != .void {
            let function = try Convert.function(closure, or: call.error("'\(name)' must be a closure", kind: .typeMismatch))
            return { try call.test(function, [$0, $1]) }
        }
        var comparisons = 0
        return {
            comparisons &+= 1
            if comparisons & 0xFFFF == 0 { try call.context.checkInterrupt() }
            return try isLess($0, $1, call)
        }
    }
}

/// The elements of anything the language can iterate: arrays, strings (characters), Int ranges,
/// dictionaries ((key:, value:) tuples).
func sequenceElements(_ value: Value, _ call: NativeCall) throws -> [Value] {
    switch value {
    case .array(let items): return items
    case .string(let text): return text.map { .string(String($0)) }
    case .range(let range):
        if let ints = range.intRange, !ints.fitsInMemory {
            throw call.error("the range \(ints) has too many elements to turn into an array", kind: .invalidOperation)
        }
        guard let ints = range.intRange else {
            if case .int = range.lower, case .int = range.upper { return [] }
            throw call.error("cannot iterate over a range of \(range.lower.typeName)", kind: .typeMismatch)
        }
        return try materialize(ints, call) { .int($0) }
    case .dictionary(let dictionary):
        return dictionary.pairs.map { .tuple(TupleValue([$0.key, $0.value], labels: ["key", "value"])) }
    case .optional(let inner?): return try sequenceElements(inner, call)
    case .object(let sequence as NativeSequence): return try sequence.elements()
    default:
        throw call.error("\(value.typeName) is not a sequence", kind: .typeMismatch)
    }
}

/// The largest range or repeated collection the library turns into an array.
let maximumMaterializedCount = 10_000_000

/// The elements of a (possibly long) Swift sequence as values, at most
/// `maximumMaterializedCount` of them, staying interruptible while it builds.
func materialize<S: Sequence>(_ sequence: S, _ call: NativeCall, _ transform: (S.Element) -> Value) throws -> [Value] {
    // No reserveCapacity from underestimatedCount: for floating-point strides it counts by
    // iterating, which never ends for a huge stride.
    var values: [Value] = []
    for element in sequence {
        if values.count & 0xFFFF == 0xFFFF {
            try call.context.checkInterrupt()
            guard values.count < maximumMaterializedCount else {
                throw call.error("the sequence has more than \(maximumMaterializedCount) elements; too many to turn into an array")
            }
        }
        values.append(transform(element))
    }
    return values
}
