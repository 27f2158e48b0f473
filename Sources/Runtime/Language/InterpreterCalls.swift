/// Calling functions, closures, natives, methods and initializers.
extension Interpreter {
    func evalArguments(_ arguments: [Argument], _ frame: Frame) throws -> [CallArgument] {
        try arguments.map { argument in
            if argument.isInout {
                let target = argument.value
                return CallArgument(label: argument.label, value: try eval(target, frame), isLiteral: false, writeBack: { [unowned self] newValue in
                    _ = try self.modify(target, frame) { current in
                        current = newValue
                        return .void
                    }
                })
            }
            return CallArgument(label: argument.label, value: try eval(argument.value, frame), isLiteral: isLiteral(argument.value),
                                isTrailing: argument.isTrailing)
        }
    }

    func evalCall(_ callee: Expr, _ arguments: [Argument], _ frame: Frame, span: SourceSpan) throws -> Value {
        switch callee.kind {
        case .member(let base, let name):
            return try callMember(base, name, arguments, frame, span: span)
        case .implicitMember(let name):
            let values = try evalArguments(arguments, frame)
            let payload = TupleValue(values.map(\.value), labels: values.map(\.label))
            return .enumCase(EnumCaseValue(type: nil, name: name, payload: payload))
        case .name(let ref) where ref.name == "swap" && arguments.count == 2 && arguments.allSatisfy(\.isInout) && globals.lookup("swap").flatMap(globals.read) == nil:
            // `swap(&a, &b)`: exchanges two stored values.
            let first = try eval(arguments[0].value, frame)
            let second = try eval(arguments[1].value, frame)
            _ = try modify(arguments[0].value, frame) { $0 = second; return .void }
            _ = try modify(arguments[1].value, frame) { $0 = first; return .void }
            return .void
        default:
            let function = try eval(callee, frame)
            return try callValue(function, try evalArguments(arguments, frame), span: span)
        }
    }

    /// Calls any callable value.
    func callValue(_ callee: Value, _ arguments: [CallArgument], span: SourceSpan?, positional: Bool = false) throws -> Value {
        switch callee {
        case .function(let function):
            switch function.kind {
            case .user(let decl, let captured):
                if !function.alternatives.isEmpty, !positional, !labelsFit(decl, arguments),
                   let other = function.alternatives.first(where: { if case .user(let d, _) = $0.kind { return labelsFit(d, arguments) }; return false }),
                   case .user(let otherDecl, let otherCapture) = other.kind {
                    return try callUser(otherDecl, captured: otherCapture, selfValue: nil, arguments).result
                }
                return try callUser(decl, captured: captured, selfValue: nil, arguments, positional: positional).result
            case .boundMethod(let decl, _, let receiver, let captured):
                return try callUser(decl, captured: captured, selfValue: receiver, arguments, positional: positional).result
            case .native(let overloads, let receiver):
                var receiverCopy = receiver
                return try callNative(overloads, receiver: &receiverCopy, arguments, positional: positional)
            case .enumConstructor(let type, let caseName):
                return try constructCase(type, caseName, arguments)
            case .operatorFunction(let op):
                return try applyOperator(op, arguments)
            }
        case .type(let type):
            return try construct(type, arguments, span: span)
        default:
            throw RuntimeError("cannot call value of non-function type '\(callee.typeName)'", kind: .notCallable, span: span)
        }
    }

    // MARK: - User functions

    /// Runs a user function; returns its result and its frame (self and inout parameters).
    func callUser(_ decl: FunctionDecl, captured: Frame?, selfValue: Value?, _ arguments: [CallArgument],
                  positional: Bool = false) throws -> (result: Value, frame: Frame) {
        let frame = Frame(size: decl.frameSize, parent: captured)
        if decl.hasSelf { frame.slots[0] = selfValue ?? .void }
        try bindParameters(decl, arguments, frame, captured: captured, positional: positional || decl.isClosure)
        depth += 1
        defer { depth -= 1 }
        if depth > maxDepth {
            throw RuntimeError("maximum recursion depth (\(maxDepth) calls) exceeded in '\(decl.name)': check the recursion's base case",
                               kind: .recursionDepth, span: decl.span)
        }
        try context.interrupt.check()
        returnTypes.append(decl.isInitializer ? nil : decl.returnType)
        defer { returnTypes.removeLast() }
        var result = Value.void
        let statements = decl.body.statements
        if statements.count == 1, case .expression(let e) = statements[0].kind, !decl.isInitializer {
            // A single-expression body is its own return value.
            result = try withSpan(statements[0].span) { try eval(e, frame) }
            if let type = decl.returnType { result = try coerce(result, to: type, literal: isLiteral(e), span: e.span) }
        } else {
            switch try execBlock(decl.body, frame) {
            case .returnValue(let value): result = value
            case .normal: break
            case .breakLoop, .continueLoop, .fallthroughCase:
                throw RuntimeError("'break' or 'continue' outside of a loop", span: decl.span)
            }
        }
        for (i, parameter) in decl.parameters.enumerated() where parameter.isInout {
            if case .local(let slot) = parameter.binding.slot, let writeBack = inoutWriteBacks(arguments, decl)[i] {
                try writeBack(frame.slots[slot])
            }
        }
        return (result, frame)
    }

    private func inoutWriteBacks(_ arguments: [CallArgument], _ decl: FunctionDecl) -> [Int: (Value) throws -> Void] {
        var result: [Int: (Value) throws -> Void] = [:]
        var next = 0
        for (i, parameter) in decl.parameters.enumerated() {
            guard next < arguments.count else { break }
            if arguments[next].fits(parameter.label) || decl.isClosure {
                if parameter.isInout, let writeBack = arguments[next].writeBack { result[i] = writeBack }
                next += 1
            }
        }
        return result
    }

    private func bindParameters(_ decl: FunctionDecl, _ arguments: [CallArgument], _ frame: Frame, captured: Frame?, positional: Bool) throws {
        let parameters = decl.parameters
        if positional {
            var values = arguments
            // A closure of n parameters called with one n-tuple takes it apart (`dict.map { k, v in }`).
            if parameters.count > 1, values.count == 1, case .tuple(let t) = values[0].value, t.values.count == parameters.count {
                values = t.values.map { CallArgument(label: nil, value: $0) }
            }
            if parameters.count == 1, values.count > 1 {
                values = [CallArgument(label: nil, value: .tuple(TupleValue(values.map(\.value), labels: values.map(\.label))))]
            }
            if values.count < parameters.count, !decl.isClosure || decl.implicitParameterCount == 0 {
                // Fill defaults for trailing parameters.
                for parameter in parameters.dropFirst(values.count) {
                    guard let d = parameter.defaultValue else {
                        throw RuntimeError("'\(decl.name)' expects \(parameters.count) arguments, got \(arguments.count)", kind: .wrongArguments)
                    }
                    values.append(CallArgument(label: nil, value: try eval(d, captured ?? frame), isLiteral: isLiteral(d)))
                }
            }
            if values.count < parameters.count {
                throw RuntimeError("closure expects \(parameters.count) arguments, got \(values.count)", kind: .wrongArguments)
            }
            for (parameter, argument) in zip(parameters, values) {
                try bind(parameter, argument, frame)
            }
            return
        }
        var next = 0
        for parameter in parameters {
            if parameter.isVariadic {
                var items: [Value] = []
                if next < arguments.count, arguments[next].fits(parameter.label) {
                    items.append(try coerceElement(arguments[next], parameter))
                    next += 1
                    while next < arguments.count, arguments[next].label == nil {
                        items.append(try coerceElement(arguments[next], parameter))
                        next += 1
                    }
                }
                if case .local(let slot) = parameter.binding.slot { frame.slots[slot] = .array(items) }
            } else if next < arguments.count, arguments[next].fits(parameter.label) {
                try bind(parameter, arguments[next], frame)
                next += 1
            } else if let d = parameter.defaultValue {
                try bind(parameter, CallArgument(label: nil, value: try eval(d, captured ?? frame), isLiteral: isLiteral(d)), frame)
            } else {
                throw wrongLabels(decl, arguments)
            }
        }
        if next < arguments.count { throw wrongLabels(decl, arguments) }
    }

    private func coerceElement(_ argument: CallArgument, _ parameter: Parameter) throws -> Value {
        guard let type = parameter.type else { return argument.value }
        return try coerce(argument.value, to: type, literal: argument.isLiteral, span: nil)
    }

    private func bind(_ parameter: Parameter, _ argument: CallArgument, _ frame: Frame) throws {
        var value = argument.value
        if let type = parameter.type {
            do {
                value = try coerce(value, to: type, literal: argument.isLiteral, span: nil)
            } catch var error as RuntimeError {
                error.message = "argument '\(parameter.name)': " + error.message
                throw error
            }
        }
        if case .local(let slot) = parameter.binding.slot { frame.slots[slot] = value }
    }

    private func wrongLabels(_ decl: FunctionDecl, _ arguments: [CallArgument]) -> RuntimeError {
        let used = "(" + arguments.map { "\($0.label ?? "_"):" }.joined() + ")"
        let expected = "(" + decl.parameters.map { "\($0.label ?? "_"):" }.joined() + ")"
        return RuntimeError("incorrect argument labels in call to '\(decl.name)': have \(used), expected \(expected)",
                            kind: .wrongArguments)
    }

    // MARK: - Natives

    /// Calls the first overload whose labels fit; `receiver` may be changed by mutating methods.
    func callNative(_ overloads: [NativeFunction], receiver: inout Value, _ arguments: [CallArgument], positional: Bool = false) throws -> Value {
        // Fast path: an overload whose parameters match the arguments one to one.
        for function in overloads where function.parameters.count == arguments.count {
            var fits = true
            for (parameter, argument) in zip(function.parameters, arguments) where parameter.isVariadic || parameter.label != argument.label {
                fits = false
                break
            }
            if fits { return try invokeNative(function, receiver: &receiver, arguments.map(\.value)) }
        }
        let labelled = arguments.map { (label: $0.label, value: $0.value) }
        for function in overloads {
            var bound = ArgumentBinder.bind(labelled, to: function.parameters)
            if bound == nil, let last = arguments.last, last.isTrailing {
                // A trailing closure takes the label of the parameter it lands on.
                for label in Set(function.parameters.compactMap(\.label)) where bound == nil {
                    var relabelled = labelled
                    relabelled[relabelled.count - 1].label = label
                    bound = ArgumentBinder.bind(relabelled, to: function.parameters)
                }
            }
            if bound == nil && positional {
                bound = ArgumentBinder.bind(labelled, to: function.parameters.map { var p = $0; p.label = nil; return p })
            }
            guard let values = bound else { continue }
            return try invokeNative(function, receiver: &receiver, values)
        }
        let used = ArgumentBinder.labels(of: labelled)
        let available = overloads.map(\.selector).joined(separator: ", ")
        let hint = ArgumentBinder.unknownLabelHint(labelled, overloads: overloads)
        throw RuntimeError("no '\(overloads.first?.name ?? "function")' takes arguments \(used)\(hint); available: \(available)",
                           kind: .wrongArguments)
    }

    /// Runs a native body; Swift errors other than traps become catchable language errors.
    private func invokeNative(_ function: NativeFunction, receiver: inout Value, _ values: [Value]) throws -> Value {
            do {
                switch function.body {
                case .plain(let body):
                    return try body(NativeCall(function: function, arguments: values, receiver: receiver, context: context))
                case .mutating(let body):
                    // The receiver is passed only inout, so an array being appended to stays uniquely owned.
                    return try body(&receiver, NativeCall(function: function, arguments: values, receiver: .void, context: context))
                }
            } catch let error as RuntimeError {
                throw error
            } catch let error as ThrownError {
                throw error
            } catch is OptionalChainNil {
                throw OptionalChainNil()
            } catch let error as InputUnavailable {
                throw RuntimeError(error.description)
            } catch {
                throw ThrownError(.object(NativeErrorObject(error)))
            }
    }

    // MARK: - Methods

    private enum MethodPlan {
        case user(FunctionDecl, UserType, receiver: Value)
        case mutatingUser(FunctionDecl, UserType)
        case native([NativeFunction], receiver: Value)
        /// `temporary` holds the receiver only when it is not stored anywhere (`[1, 2].sorted()`).
        case mutatingNative([NativeFunction], temporary: Value?)
        case callable(Value)
        case staticCall(TypeValue)
    }

    /// Finds what `receiver.name(…)` calls. Holds on to the receiver only for non-mutating calls,
    /// so a mutating call can change the stored value in place.
    private func plan(_ receiver: Value, _ name: String, frame: Frame, span: SourceSpan) throws -> MethodPlan {
        if let type = userType(of: receiver), let method = type.methods[name] {
            return method.isMutating ? .mutatingUser(method, type) : .user(method, type, receiver: receiver)
        }
        if !extensions.isEmpty, let ext = extensions[receiver.memberTypeName], let method = ext.methods[name] {
            return method.isMutating ? .mutatingUser(method, ext) : .user(method, ext, receiver: receiver)
        }
        if let native = nativeType(of: receiver), let overloads = native.methods[name] {
            if overloads.contains(where: { if case .mutating = $0.body { return true }; return false }) {
                return .mutatingNative(overloads, temporary: nil)
            }
            return .native(overloads, receiver: receiver)
        }
        return .callable(try member(of: receiver, name, frame: frame, span: span))
    }

    func userType(of value: Value) -> UserType? {
        switch value {
        case .instance(let s): return s.type
        case .enumCase(let e): return e.type
        case .object(let o): return (o as? ClassInstance)?.type
        default: return nil
        }
    }

    /// Evaluates the receiver and decides the call; the receiver value is released on return
    /// unless the plan needs it, so a mutating method finds its array or struct uniquely owned.
    private func planMember(_ baseExpr: Expr, _ name: String, _ frame: Frame, span: SourceSpan) throws -> MethodPlan {
        let receiver = try eval(baseExpr, frame)
        if case .type(let type) = receiver { return .staticCall(type) }
        if case .optional(.some) = receiver, userType(of: receiver) == nil, registry.types["Optional"]?.methods[name] == nil {
            throw RuntimeError("value of optional type '\(receiver.typeName)' must be unwrapped to call '\(name)': use '?.' or '!'",
                               kind: .unknownMember, span: span)
        }
        let plan = try self.plan(receiver, name, frame: frame, span: span)
        if case .mutatingNative(let overloads, _) = plan, !isAssignable(baseExpr) {
            return .mutatingNative(overloads, temporary: receiver)
        }
        return plan
    }

    func callMember(_ baseExpr: Expr, _ name: String, _ arguments: [Argument], _ frame: Frame, span: SourceSpan) throws -> Value {
        let plan = try planMember(baseExpr, name, frame, span: span)
        let values = try evalArguments(arguments, frame)
        switch plan {
        case .staticCall(let type):
            return try callStatic(type, name, values, frame: frame, span: span)
        case .user(let method, let type, let receiver):
            return try callUser(method, captured: type.captured, selfValue: receiver, values).result
        case .native(let overloads, var receiver):
            return try callNative(overloads, receiver: &receiver, values)
        case .callable(let function):
            return try callValue(function, values, span: span)
        case .mutatingUser(let method, let type):
            return try modify(baseExpr, frame, mutatingMember: name) { selfValue in
                let (result, calleeFrame) = try self.callUser(method, captured: type.captured, selfValue: selfValue, values)
                selfValue = calleeFrame.slots[0]
                return result
            }
        case .mutatingNative(let overloads, let temporary):
            if var copy = temporary {
                return try callNative(overloads, receiver: &copy, values)
            }
            return try modify(baseExpr, frame, mutatingMember: name) { value in
                try self.callNative(overloads, receiver: &value, values)
            }
        }
    }

    /// Whether an expression names storage (a variable, property, element).
    func isAssignable(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .name(let ref):
            if case .native = ref.slot { return false }
            return true
        case .member(let base, _), .subscriptAccess(let base, _), .forceUnwrap(let base), .bindOptional(let base):
            return isAssignable(base)
        default:
            return false
        }
    }

    // MARK: - Types

    func callStatic(_ type: TypeValue, _ name: String, _ arguments: [CallArgument], frame: Frame, span: SourceSpan) throws -> Value {
        switch type {
        case .structure(let t), .enumeration(let t):
            if name == "init" { return try construct(type, arguments, span: span) }
            if let method = t.staticMethods[name] {
                return try callUser(method, captured: t.captured, selfValue: .type(type), arguments).result
            }
            if t.caseIndex[name] != nil { return try constructCase(t, name, arguments) }
        case .named(let typeName):
            if name == "init" { return try construct(type, arguments, span: span) }
            if let ext = extensions[typeName], let method = ext.staticMethods[name] {
                return try callUser(method, captured: ext.captured, selfValue: .type(type), arguments).result
            }
            if let overloads = registry.types[typeName]?.staticMethods[name] {
                var receiver = Value.type(type)
                return try callNative(overloads, receiver: &receiver, arguments)
            }
        }
        let function = try member(of: .type(type), name, frame: frame, span: span)
        return try callValue(function, arguments, span: span)
    }

    func construct(_ type: TypeValue, _ arguments: [CallArgument], span: SourceSpan?) throws -> Value {
        switch type {
        case .structure(let t):
            return try constructStruct(t, arguments)
        case .enumeration(let t):
            if !t.initializers.isEmpty { return try constructStruct(t, arguments) }
            if arguments.count == 1, arguments[0].label == "rawValue" {
                let raw = arguments[0].value
                if let c = t.cases.first(where: { $0.rawValue == raw }) {
                    return .optional(.enumCase(EnumCaseValue(type: t, name: c.name, payload: nil)))
                }
                return .null
            }
            throw RuntimeError("'\(t.name)' has no initializer taking \(ArgumentBinder.labels(of: arguments.map { ($0.label, $0.value) }))",
                               kind: .wrongArguments, span: span)
        case .named(let name):
            if let ext = extensions[name], !ext.initializers.isEmpty {
                if let result = try? constructWithUserInit(ext, arguments, selfValue: .void) { return result }
            }
            if let native = registry.types[name], !native.initializers.isEmpty {
                var receiver = Value.type(type)
                return try callNative(native.initializers, receiver: &receiver, arguments)
            }
            if name == "Optional", arguments.count == 1 { return .optional(arguments[0].value) }
            if arguments.isEmpty {
                switch name {
                case "Array": return .array([])
                case "Dictionary": return .dictionary(DictionaryValue())
                case "String": return .string("")
                case "Int": return .int(0)
                case "Double": return .double(0)
                case "Bool": return .bool(false)
                default: break
                }
            }
            throw RuntimeError("cannot construct '\(name)' with arguments \(ArgumentBinder.labels(of: arguments.map { ($0.label, $0.value) }))",
                               kind: .wrongArguments, span: span)
        }
    }

    private func constructStruct(_ t: UserType, _ arguments: [CallArgument]) throws -> Value {
        // Initial values may construct the struct again (`var next = Node()`): count the depth.
        depth += 1
        defer { depth -= 1 }
        if depth > maxDepth {
            throw RuntimeError("maximum recursion depth (\(maxDepth) calls) exceeded constructing '\(t.name)': "
                               + "does a stored property's initial value create another \(t.name)?", kind: .recursionDepth)
        }
        // Fields start at their declared initial values.
        var fields: [Value] = []
        for property in t.storedProperties {
            if let initial = property.initial {
                let value = try eval(initial, t.captured ?? Frame(size: 0, parent: nil))
                fields.append(try property.type.map { try coerce(value, to: $0, literal: isLiteral(initial), span: initial.span) } ?? value)
            } else if case .optional = property.type {
                fields.append(.null)
            } else {
                fields.append(.void)
            }
        }
        let instance = t.isClass ? Value.object(ClassInstance(type: t, fields: fields)) : Value.instance(StructInstance(type: t, fields: fields))
        if !t.initializers.isEmpty {
            return try constructWithUserInit(t, arguments, selfValue: instance)
        }
        // The memberwise initializer: every `var`, and every `let` without an initial value.
        var s = StructInstance(type: t, fields: fields)
        var next = 0
        for (i, property) in t.storedProperties.enumerated() {
            if property.initial != nil && !property.isMutable { continue }
            if next < arguments.count, arguments[next].label == property.name {
                let argument = arguments[next]
                s.fields[i] = try property.type.map { type in
                    do {
                        return try coerce(argument.value, to: type, literal: argument.isLiteral, span: nil)
                    } catch var error as RuntimeError {
                        error.message = "argument '\(property.name)': " + error.message
                        throw error
                    }
                } ?? argument.value
                next += 1
            } else if property.initial == nil && !isOptional(property.type) {
                throw RuntimeError(memberwiseMismatch(t, arguments), kind: .wrongArguments)
            }
        }
        if next < arguments.count { throw RuntimeError(memberwiseMismatch(t, arguments), kind: .wrongArguments) }
        return t.isClass ? .object(ClassInstance(type: t, fields: s.fields)) : .instance(s)
    }

    private func isOptional(_ type: TypeAnnotation?) -> Bool {
        if case .optional = type { return true }
        return false
    }

    private func memberwiseMismatch(_ t: UserType, _ arguments: [CallArgument]) -> String {
        let expected = t.storedProperties.filter { $0.initial == nil || $0.isMutable }.map { "\($0.name):" }.joined()
        let used = arguments.map { "\($0.label ?? "_"):" }.joined()
        return "wrong arguments for '\(t.name)': its memberwise initializer is \(t.name)(\(expected)), called with (\(used))"
    }

    private func constructWithUserInit(_ t: UserType, _ arguments: [CallArgument], selfValue: Value) throws -> Value {
        var lastError: Error?
        for initializer in t.initializers {
            guard labelsFit(initializer, arguments) else { continue }
            do {
                let (result, frame) = try callUser(initializer, captured: t.captured, selfValue: selfValue, arguments)
                if initializer.isFailable {
                    if case .optional(nil) = result { return .null }
                    return .optional(frame.slots[0])
                }
                return frame.slots[0]
            } catch {
                lastError = error
                throw error
            }
        }
        if let lastError { throw lastError }
        let used = arguments.map { "\($0.label ?? "_"):" }.joined()
        let available = t.initializers.map { "init(" + $0.parameters.map { "\($0.label ?? "_"):" }.joined() + ")" }.joined(separator: ", ")
        throw RuntimeError("no initializer of '\(t.name)' takes (\(used)); available: \(available)", kind: .wrongArguments)
    }

    func labelsFit(_ decl: FunctionDecl, _ arguments: [CallArgument]) -> Bool {
        var next = 0
        for parameter in decl.parameters {
            if next < arguments.count, arguments[next].fits(parameter.label) {
                next += 1
                if parameter.isVariadic { while next < arguments.count, arguments[next].label == nil { next += 1 } }
            } else if parameter.defaultValue == nil && !parameter.isVariadic {
                return false
            }
        }
        return next == arguments.count
    }

    func constructCase(_ type: UserType, _ name: String, _ arguments: [CallArgument]) throws -> Value {
        guard let index = type.caseIndex[name] else {
            throw RuntimeError("'\(type.name)' has no case '\(name)'", kind: .unknownMember)
        }
        let info = type.cases[index]
        guard let associated = info.associated else {
            if arguments.isEmpty { return .enumCase(EnumCaseValue(type: type, name: name, payload: nil)) }
            throw RuntimeError("enum case '\(name)' has no associated values", kind: .wrongArguments)
        }
        guard associated.count == arguments.count else {
            throw RuntimeError("enum case '\(name)' takes \(associated.count) associated values, got \(arguments.count)", kind: .wrongArguments)
        }
        var values: [Value] = []
        for (item, argument) in zip(associated, arguments) {
            if item.label != argument.label {
                throw RuntimeError("enum case '\(name)': expected label '\(item.label ?? "_")', got '\(argument.label ?? "_")'", kind: .wrongArguments)
            }
            values.append(try coerce(argument.value, to: item.type, literal: argument.isLiteral, span: nil))
        }
        return .enumCase(EnumCaseValue(type: type, name: name, payload: TupleValue(values, labels: associated.map(\.label))))
    }
}
