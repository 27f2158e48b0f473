import TextFormats

/// Member access, subscripts, and in-place modification of stored values (`a[i].x += 1`).
extension Interpreter {
    func member(of value: Value, _ name: String, frame: Frame, span: SourceSpan?) throws -> Value {
        switch value {
        case .type(let type):
            return try staticMember(type, name, span: span)
        case .tuple(let t):
            if let i = Int(name), i < t.values.count { return t.values[i] }
            if let i = t.index(ofLabel: name) { return t.values[i] }
        case .instance(let s):
            if let i = s.type.fieldIndex[name] { return s.fields[i] }
        case .object(let o):
            if let c = o as? ClassInstance, let i = c.type.fieldIndex[name] { return c.fields[i] }
        case .enumCase(let e):
            if name == "rawValue", let type = e.type, let i = type.caseIndex[e.name], let raw = type.cases[i].rawValue { return raw }
        default:
            break
        }
        if let type = userType(of: value) {
            if let accessor = type.computed[name] {
                return try callUser(accessor.getter, captured: type.captured, selfValue: value, []).result
            }
            if let method = type.methods[name] {
                return .function(FunctionValue(name: name, kind: .boundMethod(method, type: type, receiver: value, captured: type.captured)))
            }
        }
        if !extensions.isEmpty, let ext = extensions[value.memberTypeName] {
            if let accessor = ext.computed[name] {
                return try callUser(accessor.getter, captured: ext.captured, selfValue: value, []).result
            }
            if let method = ext.methods[name] {
                return .function(FunctionValue(name: name, kind: .boundMethod(method, type: ext, receiver: value, captured: ext.captured)))
            }
        }
        if let native = nativeType(of: value) {
            if let property = native.properties[name] { return try property.get(value) }
            if let overloads = native.methods[name] {
                return .function(FunctionValue(name: name, kind: .native(overloads, receiver: value)))
            }
        }
        if case .optional(.some) = value {
            throw RuntimeError("value of optional type '\(value.typeName)' must be unwrapped to refer to member '\(name)': use '?.' or '!'",
                               kind: .unknownMember, span: span)
        }
        throw RuntimeError("value of type '\(value.typeName)' has no member '\(name)'\(memberSuggestion(name, of: value))",
                           kind: .unknownMember, span: span)
    }

    func staticMember(_ type: TypeValue, _ name: String, span: SourceSpan?) throws -> Value {
        switch type {
        case .structure(let t), .enumeration(let t):
            if let i = t.caseIndex[name] {
                if t.cases[i].associated != nil {
                    return .function(FunctionValue(name: name, kind: .enumConstructor(t, caseName: name)))
                }
                return .enumCase(EnumCaseValue(type: t, name: name, payload: nil))
            }
            if let value = t.staticValues[name] { return value }
            if let getter = t.staticComputed[name] {
                return try callUser(getter, captured: t.captured, selfValue: .type(type), []).result
            }
            if let method = t.staticMethods[name] {
                return .function(FunctionValue(name: name, kind: .boundMethod(method, type: t, receiver: .type(type), captured: t.captured)))
            }
            if name == "allCases" && t.isEnum {
                return .array(t.cases.map { .enumCase(EnumCaseValue(type: t, name: $0.name, payload: nil)) })
            }
            if name == "self" { return .type(type) }
            if name == "init" {
                return .function(FunctionValue(name: "\(t.name).init", kind: .native([NativeFunction(name: t.name, parameters: [], returnType: t.name, doc: "", body: .plain { _ in .void })], receiver: .void)))
            }
        case .named(let typeName):
            if let ext = extensions[typeName] {
                if let value = ext.staticValues[name] { return value }
                if let getter = ext.staticComputed[name] {
                    return try callUser(getter, captured: ext.captured, selfValue: .type(type), []).result
                }
            }
            if let native = registry.types[typeName] {
                if let property = native.staticProperties[name] { return try property.get() }
                if let overloads = native.staticMethods[name] {
                    return .function(FunctionValue(name: name, kind: .native(overloads, receiver: .type(type))))
                }
                if name == "init", !native.initializers.isEmpty {
                    return .function(FunctionValue(name: typeName, kind: .native(native.initializers, receiver: .type(type))))
                }
            }
            if name == "self" { return .type(type) }
        }
        throw RuntimeError("type '\(type.name)' has no member '\(name)'", kind: .unknownMember, span: span)
    }

    // MARK: - Subscripts

    func evalSubscript(_ baseExpr: Expr, _ arguments: [Argument], _ frame: Frame, span: SourceSpan) throws -> Value {
        let base = try eval(baseExpr, frame)
        let keys = try evalArguments(arguments, frame)
        return try withSpan(span) { try subscriptValue(base, keys) }
    }

    func subscriptValue(_ base: Value, _ keys: [CallArgument]) throws -> Value {
        if let type = userType(of: base) ?? extensions[base.memberTypeName], let getter = type.methods["subscript"] {
            return try callUser(getter, captured: type.captured, selfValue: base, keys).result
        }
        switch base {
        case .array(let items):
            guard keys.count == 1 else { break }
            switch keys[0].value {
            case .int(let i):
                guard i >= 0 && i < items.count else {
                    throw RuntimeError("Index out of range: index \(i) but the array has \(items.count) element\(items.count == 1 ? "" : "s")",
                                       kind: .indexOutOfRange)
                }
                return items[i]
            case .range(let r):
                let bounds = try sliceBounds(r, count: items.count)
                return .array(Array(items[bounds]))
            default: break
            }
        case .dictionary(let d):
            if keys.count == 2, keys[1].label == "default" {
                return d[keys[0].value] ?? keys[1].value
            }
            if keys.count == 1 { return .optional(d[keys[0].value]) }
        case .string(let s):
            if keys.count == 1, case .range(let r) = keys[0].value {
                let characters = Array(s)
                let bounds = try sliceBounds(r, count: characters.count)
                return .string(String(characters[bounds]))
            }
            if keys.count == 1, case .int(let i) = keys[0].value {
                let characters = Array(s)
                guard i >= 0 && i < characters.count else {
                    throw RuntimeError("String index \(i) is out of range (count \(characters.count))", kind: .indexOutOfRange)
                }
                return .string(String(characters[i]))
            }
        case .tuple(let t):
            if keys.count == 1, case .int(let i) = keys[0].value, i >= 0, i < t.values.count { return t.values[i] }
        default:
            break
        }
        if let native = registry.types[base.memberTypeName], let overloads = native.methods["subscript"] {
            var receiver = base
            return try callNative(overloads, receiver: &receiver, keys)
        }
        let keyTypes = keys.map { $0.value.typeName }.joined(separator: ", ")
        throw RuntimeError("cannot subscript a value of type '\(base.typeName)' with (\(keyTypes))", kind: .typeMismatch)
    }

    private func sliceBounds(_ r: RangeValue, count: Int) throws -> Range<Int> {
        guard case .int(var low) = r.lower, case .int(var high) = r.upper else {
            throw RuntimeError("a slice needs Int bounds", kind: .typeMismatch)
        }
        // One-sided ranges (`..<3`, `2...`) reach to the ends.
        if low == Int.min { low = 0 }
        if high == Int.max { high = count } else if r.isClosed { high += 1 }
        guard low >= 0, high <= count, low <= high else {
            throw RuntimeError("Range \(low)..<\(high) is out of bounds for \(count) elements", kind: .indexOutOfRange)
        }
        return low..<high
    }

    // MARK: - Modification in place

    /// Runs `body` on the storage `expr` denotes (variable, property, element, unwrapped optional).
    func modify(_ expr: Expr, _ frame: Frame, mutatingMember member: String? = nil, throughMember: Bool = false,
                _ body: (inout Value) throws -> Value) throws -> Value {
        switch expr.kind {
        case .name(let ref):
            if ref.isConstant, throughMember, case .object(let o) = try read(ref, frame), o is ClassInstance {
                // A constant holding a class instance: the instance itself can change.
                var shared = Value.object(o)
                return try body(&shared)
            }
            if ref.isConstant {
                if case .selfMember = ref.slot {
                    throw RuntimeError("cannot \(Interpreter.purpose(member)) '\(ref.name)': 'self' is immutable (mark the method 'mutating')", span: ref.span)
                }
                if case .native = ref.slot { throw RuntimeError("cannot \(Interpreter.purpose(member)) '\(ref.name)'", span: ref.span) }
                throw RuntimeError("cannot \(Interpreter.purpose(member)) '\(ref.name)': it is a 'let' constant (declare it with 'var')", span: ref.span)
            }
            if case .selfMember(let selfSlot) = ref.slot {
                return try modifySlot(selfSlot, frame, name: "self", span: ref.span) { selfValue in
                    try modifyMember(&selfValue, ref.name, span: ref.span, body)
                }
            }
            return try modifySlot(ref.slot, frame, name: ref.name, span: ref.span, body)
        case .member(let base, let name):
            return try modify(base, frame, mutatingMember: member, throughMember: true) { value in
                try self.modifyMember(&value, name, span: expr.span, body)
            }
        case .subscriptAccess(let base, let arguments):
            let keys = try evalArguments(arguments, frame)
            return try modify(base, frame, mutatingMember: member) { value in
                try self.modifySubscript(&value, keys, span: expr.span, body)
            }
        case .forceUnwrap(let base), .bindOptional(let base):
            let isChain: Bool
            if case .bindOptional = expr.kind { isChain = true } else { isChain = false }
            return try modify(base, frame, mutatingMember: member) { value in
                guard case .optional(let inner) = value else { return try body(&value) }
                guard var unwrapped = inner else {
                    if isChain { throw OptionalChainNil() }
                    throw RuntimeError("Unexpectedly found nil while unwrapping an Optional value", kind: .nilUnwrap, span: expr.span)
                }
                value = .void
                defer { value = .optional(unwrapped) }
                return try body(&unwrapped)
            }
        case .optionalChain(let inner):
            do {
                return try modify(inner, frame, mutatingMember: member, body)
            } catch is OptionalChainNil {
                return .null
            }
        default:
            throw RuntimeError("cannot \(Interpreter.purpose(member)) on this expression: store it in a 'var' first", span: expr.span)
        }
    }

    /// What a failed modification tried to do, for its error message.
    static func purpose(_ member: String?) -> String {
        member.map { "use mutating member '\($0)' on" } ?? "assign to"
    }

    func modifyMember(_ value: inout Value, _ name: String, span: SourceSpan, _ body: (inout Value) throws -> Value) throws -> Value {
        switch value {
        case .object(let o):
            if let c = o as? ClassInstance, let i = c.type.fieldIndex[name] {
                var field = c.fields[i]
                c.fields[i] = .void
                defer { c.fields[i] = field }
                return try body(&field)
            }
        case .instance(var s):
            if let i = s.type.fieldIndex[name] {
                let property = s.type.storedProperties[i]
                if !property.isMutable, !isUninitialized(s.fields[i]) {
                    throw RuntimeError("cannot assign to property '\(name)': it is a 'let' constant", span: span)
                }
                value = .void
                var field = s.fields[i]
                s.fields[i] = .void
                defer {
                    s.fields[i] = field
                    value = .instance(s)
                }
                let result = try body(&field)
                if let type = property.type, !isUninitialized(field) {
                    field = try coerce(field, to: type, literal: false, span: span)
                }
                return result
            }
        case .tuple(var t):
            if let i = Int(name) ?? t.index(ofLabel: name), i < t.values.count {
                value = .void
                defer { value = .tuple(t) }
                return try body(&t.values[i])
            }
        default:
            break
        }
        if let type = userType(of: value) ?? extensions[value.memberTypeName], let accessor = type.computed[name] {
            guard let setter = accessor.setter else {
                throw RuntimeError("cannot assign to property '\(name)': it is a get-only computed property", span: span)
            }
            var current = try callUser(accessor.getter, captured: type.captured, selfValue: value, []).result
            let result = try body(&current)
            let (_, frame) = try callUser(setter, captured: type.captured, selfValue: value, [CallArgument(label: nil, value: current)])
            value = frame.slots[0]
            return result
        }
        if let property = registry.types[value.memberTypeName]?.properties[name] {
            guard let set = property.set else {
                throw RuntimeError("cannot assign to property '\(name)' of \(value.typeName): it is read-only", span: span)
            }
            var current = try property.get(value)
            let result = try body(&current)
            try set(&value, current)
            return result
        }
        throw RuntimeError("value of type '\(value.typeName)' has no member '\(name)'\(memberSuggestion(name, of: value))",
                           kind: .unknownMember, span: span)
    }

    /// "; did you mean 'beta'?" when a member of `value` is spelt like `name`.
    func memberSuggestion(_ name: String, of value: Value) -> String {
        let members = Members.names(of: value, interpreter: self).map(\.0)
        return NameSuggestion.closest(to: name, among: members).map { "; did you mean '\($0)'?" } ?? ""
    }

    private func isUninitialized(_ value: Value) -> Bool {
        if case .void = value { return true }
        return false
    }

    func modifySubscript(_ value: inout Value, _ keys: [CallArgument], span: SourceSpan, _ body: (inout Value) throws -> Value) throws -> Value {
        if let type = userType(of: value) ?? extensions[value.memberTypeName], let getter = type.methods["subscript"] {
            guard let setter = type.methods["subscript(set)"] else {
                throw RuntimeError("cannot assign through subscript: '\(type.name)' declares only a getter", span: span)
            }
            var current = try callUser(getter, captured: type.captured, selfValue: value, keys).result
            let result = try body(&current)
            value = try callUser(setter, captured: type.captured, selfValue: value, keys + [CallArgument(label: nil, value: current)]).frame.slots[0]
            return result
        }
        switch value {
        case .array(var items):
            guard keys.count == 1, case .int(let i) = keys[0].value else { break }
            guard i >= 0 && i < items.count else {
                throw RuntimeError("Index out of range: index \(i) but the array has \(items.count) element\(items.count == 1 ? "" : "s")",
                                   kind: .indexOutOfRange, span: span)
            }
            value = .void
            var element = items[i]
            items[i] = .void
            defer {
                items[i] = element
                value = .array(items)
            }
            return try body(&element)
        case .dictionary(var d):
            guard let key = keys.first?.value else { break }
            if keys.count == 2, keys[1].label == "default" {
                value = .void
                defer { value = .dictionary(d) }
                if let result = try d.modifyValue(forKey: key, body) { return result }
                var fresh = keys[1].value
                let result = try body(&fresh)
                d[key] = fresh
                return result
            }
            guard keys.count == 1 else { break }
            value = .void
            defer { value = .dictionary(d) }
            return try d.modifyEntry(forKey: key, body)
        default:
            break
        }
        let keyTypes = keys.map { $0.value.typeName }.joined(separator: ", ")
        throw RuntimeError("cannot assign through a subscript of '\(value.typeName)' with (\(keyTypes))", kind: .typeMismatch, span: span)
    }
}
