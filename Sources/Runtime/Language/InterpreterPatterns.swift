/// Pattern matching (switch, if case, catch, for), type tests (`is`, `as?`) and annotation checks.
extension Interpreter {
    func match(_ pattern: Pattern, _ value: Value, _ frame: Frame) throws -> Bool {
        switch pattern {
        case .wildcard:
            return true
        case .binding(let binding):
            store(binding.slot, value, frame)
            return true
        case .expression(let e):
            let expected = try eval(e, frame)
            if case .enumCase(let p) = expected, case .enumCase(let v) = value.unwrapped ?? .void {
                return p.name == v.name && (p.payload == nil || p.payload?.values == v.payload?.values)
            }
            return try patternMatches(expected, value)
        case .tuple(let items, _):
            guard case .tuple(let t) = value, t.values.count == items.count else { return false }
            for (item, element) in zip(items, t.values) where try !match(item, element, frame) { return false }
            return true
        case .enumCase(let name, let arguments):
            var subject = value
            if case .optional(let inner) = value {
                if name == "none" { return inner == nil }
                guard let inner else { return false }
                subject = inner
            }
            guard case .enumCase(let e) = subject, e.name == name else { return false }
            guard let arguments else { return true }
            let payload = e.payload?.values ?? []
            if arguments.count == 1 && payload.count > 1, let p = e.payload {
                return try match(arguments[0], .tuple(p), frame)
            }
            guard payload.count == arguments.count else { return false }
            for (item, element) in zip(arguments, payload) where try !match(item, element, frame) { return false }
            return true
        case .optionalSome(let inner):
            if case .optional(let wrapped) = value {
                guard let wrapped else { return false }
                return try match(inner, wrapped, frame)
            }
            return try match(inner, value, frame)
        case .typeCheck(let type, let inner):
            guard isInstance(value, of: type) else { return false }
            guard let inner else { return true }
            return try match(inner, try cast(value, to: type), frame)
        }
    }

    /// `value is type`.
    func isInstance(_ value: Value, of type: TypeAnnotation) -> Bool {
        switch type {
        case .optional(let inner):
            if case .optional(let wrapped) = value { return wrapped.map { isInstance($0, of: inner) } ?? true }
            return isInstance(value, of: inner)
        case .array(let element):
            guard case .array(let items) = value.unwrapped ?? .void else { return false }
            return items.allSatisfy { isInstance($0, of: element) }
        case .dictionary(let k, let v):
            guard case .dictionary(let d) = value.unwrapped ?? .void else { return false }
            return d.keys.allSatisfy { isInstance($0, of: k) } && d.values.allSatisfy { isInstance($0, of: v) }
        case .tuple(let items, _):
            if items.isEmpty { if case .void = value { return true }; return false }
            guard case .tuple(let t) = value, t.values.count == items.count else { return false }
            return zip(t.values, items).allSatisfy { isInstance($0, of: $1) }
        case .function:
            if case .function = value { return true }
            return false
        case .named(let name, _):
            let v: Value
            if case .optional(let inner) = value {
                guard let inner else { return false }
                v = inner
            } else {
                v = value
            }
            switch (name, v) {
            case ("Any", _), ("AnyHashable", _): return true
            case ("Int", .int), ("Double", .double), ("Float", .double), ("String", .string), ("Bool", .bool): return true
            case ("Character", .string(let s)): return s.count == 1
            case ("Error", .object(let o)): return o is NativeErrorObject || o is InterruptErrorObject
            case (_, .object(let o as ClassInstance)): return o.type.name == name || o.type.conformances.contains(name)
            case (_, .object(let o)): return o.typeName == name
            case (_, .instance(let s)): return s.type.name == name || s.type.conformances.contains(name)
            case (_, .enumCase(let e)):
                guard let t = e.type else { return false }
                return t.name == name || t.conformances.contains(name)
            case ("Array", .array), ("Dictionary", .dictionary): return true
            case ("Range", .range(let r)): return !r.isClosed
            case ("ClosedRange", .range(let r)): return r.isClosed
            default: return false
            }
        }
    }

    /// The value seen as `type` after a successful `isInstance` (unwraps one Optional).
    func cast(_ value: Value, to type: TypeAnnotation) throws -> Value {
        if case .optional = type { return value }
        if case .optional(let inner?) = value { return inner }
        return value
    }

    /// Checks (and adapts) a value against a written annotation: integer literals become Double,
    /// Optionals wrap, implicit members (`.north`) resolve in the named enum.
    func coerce(_ value: Value, to type: TypeAnnotation, literal: Bool, span: SourceSpan?) throws -> Value {
        func mismatch() -> RuntimeError {
            RuntimeError("cannot convert value of type '\(value.typeName)' to '\(type)'", kind: .typeMismatch, span: span)
        }
        switch type {
        case .optional(let inner):
            if case .optional(let wrapped) = value {
                guard let wrapped else { return value }
                return .optional(try coerce(wrapped, to: inner, literal: literal, span: span))
            }
            if case .enumCase(let e) = value, e.type == nil, e.name == "none" { return .null }
            return .optional(try coerce(value, to: inner, literal: literal, span: span))
        case .array(let element):
            guard case .array(var items) = value else { throw mismatch() }
            for i in items.indices { items[i] = try coerce(items[i], to: element, literal: literal, span: span) }
            return .array(items)
        case .dictionary(let keyType, let valueType):
            guard case .dictionary(let d) = value else { throw mismatch() }
            var result = DictionaryValue()
            for (k, v) in zip(d.keys, d.values) {
                result[try coerce(k, to: keyType, literal: literal, span: span)] = try coerce(v, to: valueType, literal: literal, span: span)
            }
            return .dictionary(result)
        case .tuple(let items, let labels):
            if items.isEmpty { return value }
            guard case .tuple(var t) = value, t.values.count == items.count else { throw mismatch() }
            for i in items.indices { t.values[i] = try coerce(t.values[i], to: items[i], literal: literal, span: span) }
            if labels.contains(where: { $0 != nil }) { t.labels = labels }
            return .tuple(t)
        case .function:
            switch value {
            case .function, .type: return value
            default: throw mismatch()
            }
        case .named(let name, _):
            switch name {
            case "Int", "Int64", "Int32", "UInt", "UInt8", "Int8", "Int16", "UInt32", "UInt64":
                if case .int = value { return value }
                throw mismatch()
            case "Double", "Float", "CGFloat", "Float32", "Float64":
                switch value {
                case .double: return value
                case .int(let i) where literal: return .double(Double(i))
                default: throw mismatch()
                }
            case "String", "Substring":
                if case .string = value { return value }
                throw mismatch()
            case "Character":
                if case .string(let s) = value, s.count == 1 { return value }
                throw mismatch()
            case "Bool":
                if case .bool = value { return value }
                throw mismatch()
            case "Any", "AnyObject", "AnyHashable", "Void", "Never", "Self":
                return value
            default:
                return try coerceToNamedType(value, name, mismatch)
            }
        }
    }

    private func coerceToNamedType(_ value: Value, _ name: String, _ mismatch: () -> RuntimeError) throws -> Value {
        var userType: UserType?
        if let slot = globals.lookup(name), let stored = globals.read(slot), case .type(let t) = stored {
            switch t {
            case .structure(let u), .enumeration(let u): userType = u
            case .named: break
            }
        }
        guard let type = userType else {
            // Protocols, generic parameters and native types are not checked further.
            if case .object(let o) = value, registry.types[name] != nil, o.typeName != name { throw mismatch() }
            return value
        }
        switch value {
        case .instance(let s):
            if s.type === type || s.type.name == name { return value }
        case .object(let o):
            if let c = o as? ClassInstance, c.type === type || c.type.name == name || c.type.conformances.contains(name) { return value }
        case .enumCase(let e):
            if let t = e.type, t === type || t.name == name { return value }
            if e.type == nil, type.caseIndex[e.name] != nil {
                if let payload = e.payload {
                    return try constructCase(type, e.name, zip(payload.values, payload.labels).map { CallArgument(label: $1, value: $0, isLiteral: true) })
                }
                return try constructCase(type, e.name, [])
            }
            if e.type == nil, let value = type.staticValues[e.name] { return value }
        default:
            break
        }
        throw mismatch()
    }
}
