/// Operators with Swift's semantics: Int overflow traps, integer division, no implicit Int↔Double
/// mixing except for integer literals.
extension Interpreter {
    func evalBinary(_ op: BinaryOp, _ left: Expr, _ right: Expr, _ frame: Frame, span: SourceSpan) throws -> Value {
        switch op {
        case .and:
            guard try isTrue(eval(left, frame), left.span) else { return .bool(false) }
            return .bool(try isTrue(eval(right, frame), right.span))
        case .or:
            if try isTrue(eval(left, frame), left.span) { return .bool(true) }
            return .bool(try isTrue(eval(right, frame), right.span))
        case .nilCoalescing:
            let value = try eval(left, frame)
            if case .optional(let inner) = value {
                if let inner { return inner }
                let fallback = try eval(right, frame)
                // `Double(text) ?? 0`: the literal is a Double, as Swift infers.
                if case .int(let i) = fallback, isLiteral(right), wrapsDouble(left) { return .double(Double(i)) }
                return fallback
            }
            return value
        default:
            break
        }
        var l = try eval(left, frame)
        var r = try eval(right, frame)
        if case .enumCase = l { l = try resolveImplicitMember(l, like: r) }
        if case .enumCase = r { r = try resolveImplicitMember(r, like: l) }
        // Integer literals adapt to the other operand's Double type.
        switch (l, r) {
        case (.int(let i), .double) where isLiteral(left): l = .double(Double(i))
        case (.double, .int(let i)) where isLiteral(right): r = .double(Double(i))
        default: break
        }
        if op == .halfOpenRange || op == .closedRange {
            return try makeRange(l, r, closed: op == .closedRange, span: span)
        }
        return try binaryOperation(op, l, r, rightIsLiteral: false, span: span)
    }

    /// `.pi` next to a Double is `Double.pi`; `.north` next to a Direction is `Direction.north`.
    func resolveImplicitMember(_ value: Value, like other: Value) throws -> Value {
        guard case .enumCase(let e) = value, e.type == nil, e.payload == nil else { return value }
        if let type = userType(of: other), type.caseIndex[e.name] != nil {
            return .enumCase(EnumCaseValue(type: type, name: e.name, payload: nil))
        }
        if let property = registry.types[other.memberTypeName]?.staticProperties[e.name] { return try property.get() }
        return value
    }

    /// Whether an optional expression is known to hold a Double (`Double(s)`, a `Double?` variable).
    private func wrapsDouble(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .call(let callee, _):
            if case .name(let ref) = callee.kind, case .type(.named(let name))? = ref.nativeValue { return name == "Double" || name == "Float" }
            return false
        case .name(let ref):
            if case .optional(.named(let name, _))? = ref.declaredType { return name == "Double" }
            return false
        case .tryExpr(_, let inner):
            return wrapsDouble(inner)
        default:
            return false
        }
    }

    func makeRange(_ l: Value, _ r: Value, closed: Bool, span: SourceSpan) throws -> Value {
        switch (l, r) {
        case (.int(let a), .int(let b)):
            if b < a || (!closed && b < a) {
                throw RuntimeError("Range requires lowerBound <= upperBound (got \(a)\(closed ? "..." : "..<")\(b))", span: span)
            }
        case (.double(let a), .double(let b)):
            if b < a { throw RuntimeError("Range requires lowerBound <= upperBound", span: span) }
        case (.int(let a), .double(let b)):
            return .range(RangeValue(lower: .double(Double(a)), upper: .double(b), isClosed: closed))
        case (.double(let a), .int(let b)):
            return .range(RangeValue(lower: .double(a), upper: .double(Double(b)), isClosed: closed))
        case (.string, .string):
            break
        default:
            throw RuntimeError("cannot form a range from \(l.typeName) and \(r.typeName)", kind: .typeMismatch, span: span)
        }
        return .range(RangeValue(lower: l, upper: r, isClosed: closed))
    }

    /// `l op r` on values (also compound assignment `l op= r`).
    func binaryOperation(_ op: BinaryOp, _ left: Value, _ right: Value, rightIsLiteral: Bool, span: SourceSpan?) throws -> Value {
        var l = left, r = right
        if rightIsLiteral, case .double = l, case .int(let i) = r { r = .double(Double(i)) }
        switch (l, r) {
        case (.int(let a), .int(let b)):
            return try intOperation(op, a, b, span: span)
        case (.double(let a), .double(let b)):
            return try doubleOperation(op, a, b, span: span)
        case (.string(let a), .string(let b)):
            if op == .add { return .string(a + b) }
            if let result = comparison(op, a, b) { return result }
        case (.array(let a), .array(let b)) where op == .add:
            return .array(a + b)
        case (.bool(let a), .bool(let b)) where op == .and || op == .or:
            return .bool(op == .and ? a && b : a || b)
        default:
            break
        }
        switch op {
        case .equal: return .bool(l == r)
        case .notEqual: return .bool(l != r)
        case .identical: return .bool(identical(l, r))
        case .notIdentical: return .bool(!identical(l, r))
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            if let ordered = try compare(l, r) {
                switch op {
                case .less: return .bool(ordered < 0)
                case .greater: return .bool(ordered > 0)
                case .lessOrEqual: return .bool(ordered <= 0)
                default: return .bool(ordered >= 0)
                }
            }
        case .patternMatch:
            return .bool(try patternMatches(l, r))
        default:
            break
        }
        l = left
        throw RuntimeError("binary operator '\(op.rawValue)' cannot be applied to operands of type '\(l.typeName)' and '\(r.typeName)'",
                           kind: .typeMismatch, span: span)
    }

    private func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)): return x === y
        case let (.function(x), .function(y)): return x === y
        default: return false
        }
    }

    /// -1, 0, 1 for comparable pairs (numbers, strings, tuples, enum cases with raw values).
    func compare(_ a: Value, _ b: Value) throws -> Int? {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y ? -1 : x == y ? 0 : 1
        case let (.double(x), .double(y)): return x < y ? -1 : x == y ? 0 : 1
        case let (.string(x), .string(y)): return x < y ? -1 : x == y ? 0 : 1
        case let (.bool(x), .bool(y)): return x == y ? 0 : (!x ? -1 : 1)
        case let (.tuple(x), .tuple(y)) where x.values.count == y.values.count:
            for (p, q) in zip(x.values, y.values) {
                guard let c = try compare(p, q) else { return nil }
                if c != 0 { return c }
            }
            return 0
        case let (.enumCase(x), .enumCase(y)):
            if let type = x.type ?? y.type, let i = type.caseIndex[x.name], let j = type.caseIndex[y.name] {
                return i < j ? -1 : i == j ? 0 : 1
            }
            return nil
        default:
            return nil
        }
    }

    private func overflow(_ op: BinaryOp, _ a: Int, _ b: Int, _ span: SourceSpan?) -> RuntimeError {
        RuntimeError("arithmetic overflow: \(a) \(op.rawValue) \(b) does not fit in Int", kind: .overflow, span: span)
    }

    func intOperation(_ op: BinaryOp, _ a: Int, _ b: Int, span: SourceSpan?) throws -> Value {
        switch op {
        case .add:
            let (v, o) = a.addingReportingOverflow(b)
            if o { throw overflow(op, a, b, span) }
            return .int(v)
        case .subtract:
            let (v, o) = a.subtractingReportingOverflow(b)
            if o { throw overflow(op, a, b, span) }
            return .int(v)
        case .multiply:
            let (v, o) = a.multipliedReportingOverflow(by: b)
            if o { throw overflow(op, a, b, span) }
            return .int(v)
        case .divide:
            if b == 0 { throw RuntimeError("Division by zero", kind: .divisionByZero, span: span) }
            let (v, o) = a.dividedReportingOverflow(by: b)
            if o { throw overflow(op, a, b, span) }
            return .int(v)
        case .remainder:
            if b == 0 { throw RuntimeError("Division by zero in remainder operation", kind: .divisionByZero, span: span) }
            let (v, o) = a.remainderReportingOverflow(dividingBy: b)
            if o { throw overflow(op, a, b, span) }
            return .int(v)
        case .wrappingAdd: return .int(a &+ b)
        case .wrappingSubtract: return .int(a &- b)
        case .wrappingMultiply: return .int(a &* b)
        case .bitAnd: return .int(a & b)
        case .bitOr: return .int(a | b)
        case .bitXor: return .int(a ^ b)
        case .shiftLeft: return .int(a << b)
        case .shiftRight: return .int(a >> b)
        default:
            if let result = comparison(op, a, b) { return result }
            throw RuntimeError("binary operator '\(op.rawValue)' cannot be applied to two 'Int' operands", kind: .typeMismatch, span: span)
        }
    }

    /// `==`, `!=`, `<`, `>`, `<=`, `>=` on two values of one Comparable type; nil for other operators.
    @inline(__always)
    private func comparison<T: Comparable>(_ op: BinaryOp, _ a: T, _ b: T) -> Value? {
        switch op {
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        case .less: return .bool(a < b)
        case .greater: return .bool(a > b)
        case .lessOrEqual: return .bool(a <= b)
        case .greaterOrEqual: return .bool(a >= b)
        default: return nil
        }
    }

    func doubleOperation(_ op: BinaryOp, _ a: Double, _ b: Double, span: SourceSpan?) throws -> Value {
        switch op {
        case .add: return .double(a + b)
        case .subtract: return .double(a - b)
        case .multiply: return .double(a * b)
        case .divide: return .double(a / b)
        case .remainder:
            throw RuntimeError("'%' is unavailable for Double: use a.truncatingRemainder(dividingBy: b)", kind: .typeMismatch, span: span)
        default:
            if let result = comparison(op, a, b) { return result }
            throw RuntimeError("binary operator '\(op.rawValue)' cannot be applied to two 'Double' operands", kind: .typeMismatch, span: span)
        }
    }

    func evalUnary(_ op: String, _ operand: Expr, _ frame: Frame) throws -> Value {
        let value = try eval(operand, frame)
        switch (op, value) {
        case ("-", .int(let i)):
            if i == Int.min { throw RuntimeError("arithmetic overflow: -(\(i)) does not fit in Int", kind: .overflow) }
            return .int(-i)
        case ("-", .double(let d)): return .double(-d)
        case ("+", .int), ("+", .double): return value
        case ("!", .bool(let b)): return .bool(!b)
        case ("~", .int(let i)): return .int(~i)
        case ("..<", _): return .range(RangeValue(lower: lowerBound(for: value), upper: value, isClosed: false))
        case ("...", _): return .range(RangeValue(lower: lowerBound(for: value), upper: value, isClosed: true))
        case ("postfix...", .int): return .range(RangeValue(lower: value, upper: .int(Int.max), isClosed: true))
        case ("postfix...", .double): return .range(RangeValue(lower: value, upper: .double(Double.infinity), isClosed: true))
        default:
            throw RuntimeError("unary operator '\(op)' cannot be applied to an operand of type '\(value.typeName)'", kind: .typeMismatch)
        }
    }

    private func lowerBound(for upper: Value) -> Value {
        if case .double = upper { return .double(-Double.infinity) }
        return .int(Int.min)
    }

    /// `pattern ~= value`: ranges contain, everything else compares equal.
    func patternMatches(_ pattern: Value, _ value: Value) throws -> Bool {
        if case .range(let range) = pattern {
            guard let low = try compare(value, range.lower), let high = try compare(value, range.upper) else { return false }
            return low >= 0 && (range.isClosed ? high <= 0 : high < 0)
        }
        return pattern == value
    }

    /// An operator used as a function value (`reduce(0, +)`, `sorted(by: >)`).
    func applyOperator(_ name: String, _ arguments: [CallArgument]) throws -> Value {
        if arguments.count == 2, let op = BinaryOp(rawValue: name) {
            // `reduce(0, +)` over Doubles: Swift reads the 0 as a Double.
            var (l, r) = (arguments[0].value, arguments[1].value)
            if case .int(let i) = l, case .double = r { l = .double(Double(i)) }
            if case .double = l, case .int(let i) = r { r = .double(Double(i)) }
            return try binaryOperation(op, l, r, rightIsLiteral: false, span: nil)
        }
        if arguments.count == 1, name == "-" {
            switch arguments[0].value {
            case .int(let i): return .int(-i)
            case .double(let d): return .double(-d)
            default: break
            }
        }
        throw RuntimeError("operator '\(name)' takes two arguments, got \(arguments.count)", kind: .wrongArguments)
    }
}
