/// An argument after evaluation.
struct CallArgument {
    var label: String?
    var value: Value
    /// The argument was written as a literal (integer literals adapt to Double parameters).
    var isLiteral = false
    /// For `&x` arguments: writes the parameter's final value back to `x`.
    var writeBack: ((Value) throws -> Void)?
    /// A trailing closure: matches the next parameter whatever its label.
    var isTrailing = false

    func fits(_ label: String?) -> Bool { self.label == label || isTrailing }
}

extension Interpreter {
    func eval(_ expr: Expr, _ frame: Frame) throws -> Value {
        switch expr.kind {
        case .literal(let value):
            return value
        case .name(let ref):
            if case .local(let i) = ref.slot { return frame.slots[i] }
            return try read(ref, frame)
        case .binary(let op, let left, let right, let opStart):
            return try evalBinary(op, left, right, frame, span: SourceSpan(source: expr.span.source, start: opStart, end: opStart + 1))
        case .call(let callee, let arguments):
            return try withSpan(expr.span) { try evalCall(callee, arguments, frame, span: expr.span) }
        case .member(let base, let name):
            let value = try eval(base, frame)
            // Errors point at the member name.
            let nameSpan = SourceSpan(source: expr.span.source, start: max(expr.span.start, expr.span.end - name.unicodeScalars.count), end: expr.span.end)
            return try withSpan(nameSpan) { try member(of: value, name, frame: frame, span: nameSpan) }
        case .subscriptAccess(let base, let arguments):
            return try evalSubscript(base, arguments, frame, span: expr.span)
        case .interpolation(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let s): text += s
                case .code(let e): text += Formatter.description(of: try eval(e, frame), custom: context.customDescription)
                }
            }
            return .string(text)
        case .implicitMember(let name):
            return .enumCase(EnumCaseValue(type: nil, name: name, payload: nil))
        case .array(let items):
            var values = try items.map { try eval($0, frame) }
            adaptIntegerLiterals(&values, items)
            return .array(values)
        case .dictionary(let pairs):
            var keys = try pairs.map { try eval($0.0, frame) }
            var values = try pairs.map { try eval($0.1, frame) }
            adaptIntegerLiterals(&keys, pairs.map(\.0))
            adaptIntegerLiterals(&values, pairs.map(\.1))
            // Swift traps on a literal with a repeated key; here it is an error at that key.
            var dictionary = DictionaryValue()
            for (index, key) in keys.enumerated() {
                guard dictionary[key] == nil else {
                    throw RuntimeError("Dictionary literal contains duplicate keys: \(Formatter.debugDescription(of: key)) appears more than once",
                                       kind: .invalidOperation, span: pairs[index].0.span)
                }
                dictionary[key] = values[index]
            }
            return .dictionary(dictionary)
        case .emptyCollection(let type):
            if case .dictionary = type { return .dictionary(DictionaryValue()) }
            return .array([])
        case .tuple(let items, let labels):
            if items.isEmpty { return .void }
            return .tuple(TupleValue(try items.map { try eval($0, frame) }, labels: labels))
        case .unary(let op, let operand):
            return try withSpan(expr.span) { try evalUnary(op, operand, frame) }
        case .ternary(let condition, let whenTrue, let whenFalse):
            return try isTrue(eval(condition, frame), condition.span) ? eval(whenTrue, frame) : eval(whenFalse, frame)
        case .forceUnwrap(let e):
            let value = try eval(e, frame)
            if case .optional(let inner) = value {
                guard let inner else {
                    throw RuntimeError("Unexpectedly found nil while unwrapping an Optional value", kind: .nilUnwrap,
                                       span: SourceSpan(source: expr.span.source, start: expr.span.end - 1, end: expr.span.end))
                }
                return inner
            }
            return value
        case .bindOptional(let e):
            let value = try eval(e, frame)
            if case .optional(let inner) = value {
                guard let inner else { throw OptionalChainNil() }
                return inner
            }
            return value
        case .optionalChain(let e):
            do {
                let value = try eval(e, frame)
                if case .optional = value { return value }
                if case .void = value { return .optional(.void) }
                return .optional(value)
            } catch is OptionalChainNil {
                return .null
            }
        case .closure(let decl):
            return .function(FunctionValue(name: "closure", kind: .user(decl, captured: frame)))
        case .tryExpr(let kind, let e):
            return try evalTry(kind, e, frame, span: expr.span)
        case .typeCheck(let e, let type):
            return .bool(isInstance(try eval(e, frame), of: type))
        case .cast(let e, let type, let kind):
            let value = try eval(e, frame)
            switch kind {
            case .plain:
                return try coerce(value, to: type, literal: isLiteral(e), span: expr.span)
            case .optional:
                guard isInstance(value, of: type) else { return .null }
                return .optional(try cast(value, to: type))
            case .forced:
                guard isInstance(value, of: type) else {
                    throw RuntimeError("Could not cast value of type '\(value.typeName)' to '\(type)'", kind: .typeMismatch, span: expr.span)
                }
                return try cast(value, to: type)
            }
        case .typeReference(let type):
            switch type {
            case .array: return .type(.named("Array"))
            case .dictionary: return .type(.named("Dictionary"))
            case .named(let name, _): return .type(.named(name))
            default: return .type(.named(type.description))
            }
        case .assignment(let target, let op, let value):
            try assign(target, op: op, value, frame, span: expr.span)
            return .void
        }
    }

    /// Integer literals next to Doubles in one literal become Doubles (`[1, 2.5]` is `[Double]`).
    func adaptIntegerLiterals(_ values: inout [Value], _ exprs: [Expr]) {
        var sawDouble = false
        for value in values {
            switch value {
            case .double: sawDouble = true
            case .int: break
            default: return
            }
        }
        guard sawDouble else { return }
        for i in values.indices {
            if case .int(let n) = values[i], isLiteral(exprs[i]) { values[i] = .double(Double(n)) }
        }
    }

    /// Whether an expression is written as a literal, so its integers may adapt to Double.
    func isLiteral(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .literal: return true
        case .unary(_, let e): return isLiteral(e)
        case .array(let items): return items.allSatisfy(isLiteral)
        case .dictionary(let pairs): return pairs.allSatisfy { isLiteral($0.1) }
        case .tuple(let items, _): return items.allSatisfy(isLiteral)
        case .binary(let op, let l, let r, _):
            switch op {
            case .add, .subtract, .multiply, .divide, .remainder: return isLiteral(l) && isLiteral(r)
            default: return false
            }
        case .ternary(_, let a, let b): return isLiteral(a) && isLiteral(b)
        default: return false
        }
    }

    private func evalTry(_ kind: TryKind, _ e: Expr, _ frame: Frame, span: SourceSpan) throws -> Value {
        switch kind {
        case .plain:
            return try eval(e, frame)
        case .optional:
            do {
                let value = try eval(e, frame)
                if case .optional = value { return value }
                return .optional(value)
            } catch is ThrownError {
                return .null
            }
        case .forced:
            do {
                return try eval(e, frame)
            } catch let error as ThrownError {
                throw RuntimeError("'try!' expression unexpectedly raised an error: \(Formatter.debugDescription(of: error.value))",
                                   kind: .uncaughtThrow, span: span)
            }
        }
    }

    // MARK: - Assignment

    func assign(_ target: Expr, op: BinaryOp?, _ valueExpr: Expr, _ frame: Frame, span: SourceSpan) throws {
        if case .name(let ref) = target.kind, ref.name == "_" {
            _ = try eval(valueExpr, frame)
            return
        }
        let value = try eval(valueExpr, frame)
        // Fast path: `n += 1` on an Int variable.
        if let op, case .name(let ref) = target.kind, !ref.isConstant, case .int(let b) = value {
            switch ref.slot {
            case .local(let i):
                if case .int(let a) = frame.slots[i] {
                    frame.slots[i] = try intOperation(op, a, b, span: span)
                    return
                }
            case .global(let i):
                if case .int(let a)? = globals.read(i) {
                    globals.write(i, try intOperation(op, a, b, span: span))
                    return
                }
            default:
                break
            }
        }
        let literal = isLiteral(valueExpr)
        if case .tuple(let targets, _) = target.kind, op == nil {
            guard case .tuple(let values) = value, values.values.count == targets.count else {
                throw RuntimeError("cannot assign \(value.typeName) to a tuple of \(targets.count) elements", kind: .typeMismatch, span: span)
            }
            for (t, v) in zip(targets, values.values) {
                _ = try modify(t, frame) { current in
                    current = try self.assignedValue(v, replacing: current, declared: nil, literal: false, span: span)
                    return .void
                }
            }
            return
        }
        var declared: TypeAnnotation?
        if case .name(let ref) = target.kind { declared = ref.declaredType }
        // `counts[k, default: 0] += 0.5`: the default literal is a Double, as Swift infers.
        var defaultIsLiteral = false
        if case .subscriptAccess(_, let arguments) = target.kind,
           let fallback = arguments.first(where: { $0.label == "default" }) {
            defaultIsLiteral = isLiteral(fallback.value)
        }
        _ = try modify(target, frame) { current in
            if let op {
                if defaultIsLiteral, case .int(let i) = current, case .double = value { current = .double(Double(i)) }
                current = try self.binaryOperation(op, current, value, rightIsLiteral: literal, span: span)
            } else {
                current = try self.assignedValue(value, replacing: current, declared: declared, literal: literal, span: span)
            }
            return .void
        }
    }

    /// The value to store: coerced to the declared type, or shaped like the old value (an
    /// Optional stays Optional, a Double takes an integer literal).
    func assignedValue(_ value: Value, replacing old: Value, declared: TypeAnnotation?, literal: Bool, span: SourceSpan) throws -> Value {
        if let declared { return try coerce(value, to: declared, literal: literal, span: span) }
        switch (old, value) {
        case (.optional, .optional): return value
        case (.optional, _): return .optional(value)
        case (.double, .int(let i)) where literal: return .double(Double(i))
        default: return value
        }
    }
}
