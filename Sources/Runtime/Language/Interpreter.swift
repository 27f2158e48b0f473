/// Runs resolved cells: statements here; expressions, calls, members, operators and patterns in
/// the other Interpreter*.swift files.
final class Interpreter {
    let context: NativeContext
    let globals = GlobalTable()
    private(set) var sources: [SourceText] = []
    /// Members added by `extension` to built-in types (`extension String { … }`).
    var extensions: [String: UserType] = [:]
    /// Current depth of user-function calls.
    var depth = 0
    /// Calls deeper than this fail with a recursion-depth error (the cell thread's stack fits it).
    var maxDepth = 10_000

    var registry: NativeRegistry { context.registry }
    /// Registry types of the built-in value kinds, looked up once.
    private var builtinTypes: [NativeType?] = Array(repeating: nil, count: 4)

    /// The registry type holding members of `value` (cached for arrays, strings, dictionaries, Ints).
    func nativeType(of value: Value) -> NativeType? {
        let index: Int
        switch value {
        case .array: index = 0
        case .string: index = 1
        case .dictionary: index = 2
        case .int: index = 3
        default: return registry.types[value.memberTypeName]
        }
        if let cached = builtinTypes[index] { return cached }
        let type = registry.types[value.memberTypeName]
        builtinTypes[index] = type
        return type
    }

    init(context: NativeContext) {
        self.context = context
        context.invoke = { [unowned self] function, arguments in
            try self.callValue(function, arguments.map { CallArgument(label: nil, value: $0) }, span: nil, positional: true)
        }
        context.customDescription = { [unowned self] value in self.customDescription(of: value) }
        context.invokeInout = { [unowned self] function, arguments in
            if case .function(let f) = function, case .user(let decl, let captured) = f.kind {
                let (result, frame) = try self.callUser(decl, captured: captured, selfValue: nil,
                                                        arguments.map { CallArgument(label: nil, value: $0) }, positional: true)
                for (i, parameter) in decl.parameters.enumerated() where i < arguments.count {
                    if case .local(let slot) = parameter.binding.slot { arguments[i] = frame.slots[slot] }
                }
                return result
            }
            return try self.callValue(function, arguments.map { CallArgument(label: nil, value: $0) }, span: nil, positional: true)
        }
    }

    /// `description` of a user type that conforms to CustomStringConvertible.
    func customDescription(of value: Value) -> String? {
        guard let type = userType(of: value), type.conformances.contains("CustomStringConvertible"),
              let getter = type.computed["description"]?.getter,
              case .string(let text)? = try? callUser(getter, captured: type.captured, selfValue: value, []).result else { return nil }
        return text
    }

    // MARK: - Cells

    /// Parses, resolves and runs one cell; the result is the last expression's value.
    func runCell(_ source: SourceText) -> Result<MIMEBundle?, CellError> {
        sources.append(source)
        let id = sources.count - 1
        do {
            let statements = try Parser.parse(source, source: id)
            let resolver = Resolver(globals: globals, registry: registry, typeMembers: { [unowned self] in self.memberNames(ofType: $0) })
            let frameSize = try resolver.resolveCell(statements)
            let frame = Frame(size: frameSize, parent: nil)
            var result: Value?
            for (i, statement) in statements.enumerated() {
                if i == statements.count - 1, case .expression(let e) = statement.kind {
                    result = try withSpan(statement.span) { try eval(e, frame) }
                    break
                }
                switch try exec(statement, frame) {
                case .normal: continue
                case .returnValue: break
                case .breakLoop, .continueLoop, .fallthroughCase:
                    throw RuntimeError("'break', 'continue' and 'fallthrough' are only allowed inside a loop or switch", span: statement.span)
                }
                break
            }
            guard let result, !isVoid(result) else { return .success(nil) }
            return .success(Formatter.resultBundle(for: result, custom: context.customDescription))
        } catch {
            return .failure(cellError(for: error))
        }
    }

    private func isVoid(_ value: Value) -> Bool {
        if case .void = value { return true }
        return false
    }

    func cellError(for error: Error) -> CellError {
        switch error {
        case let e as ParseError:
            return CellError(name: "ParseError", message: e.message, traceback: traceback(e.message, e.span))
        case let e as RuntimeError:
            return CellError(name: e.name, message: e.message, traceback: traceback(e.message, e.span))
        case let e as ThrownError:
            let message = "uncaught error: \(Formatter.debugDescription(of: e.value))"
            return CellError(name: "RuntimeError", message: message, traceback: traceback(message, e.span))
        default:
            let message = String(describing: error)
            return CellError(name: "RuntimeError", message: message, traceback: [message])
        }
    }

    private func traceback(_ message: String, _ span: SourceSpan?) -> [String] {
        guard let span, span.source < sources.count else { return [message] }
        return sources[span.source].traceback(message: message, at: span.start)
    }

    /// Attaches `span` to a runtime error raised without one.
    @inline(__always)
    func withSpan<T>(_ span: SourceSpan, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as RuntimeError where error.span == nil {
            error.span = span
            throw error
        } catch var error as ThrownError where error.span == nil {
            error.span = span
            throw error
        }
    }

    // MARK: - Slots

    func read(_ ref: NameRef, _ frame: Frame) throws -> Value {
        switch ref.slot {
        case .local(let i): return frame.slots[i]
        case .captured(let depth, let i): return frame.ancestor(depth).slots[i]
        case .global(let i):
            guard let value = globals.read(i) else {
                throw RuntimeError("'\(ref.name)' is used before it is defined", kind: .unknownName, span: ref.span)
            }
            return value
        case .native: return ref.nativeValue ?? .void
        case .selfMember(let selfSlot):
            let selfValue = try readSlot(selfSlot, frame)
            return try member(of: selfValue, ref.name, frame: frame, span: ref.span)
        case .unresolved:
            if let slot = globals.lookup(ref.name), let value = globals.read(slot) {
                ref.slot = .global(slot)
                return value
            }
            throw RuntimeError("cannot find '\(ref.name)' in scope", kind: .unknownName, span: ref.span)
        }
    }

    func readSlot(_ slot: Slot, _ frame: Frame) throws -> Value {
        switch slot {
        case .local(let i): return frame.slots[i]
        case .captured(let depth, let i): return frame.ancestor(depth).slots[i]
        case .global(let i): return globals.read(i) ?? .void
        default: throw RuntimeError("invalid slot")
        }
    }

    func store(_ slot: Slot, _ value: Value, _ frame: Frame) {
        switch slot {
        case .local(let i): frame.slots[i] = value
        case .captured(let depth, let i): frame.ancestor(depth).slots[i] = value
        case .global(let i): globals.write(i, value)
        default: break
        }
    }

    /// Runs `body` on the value in `slot`, moved out so that arrays and structs mutate in place.
    func modifySlot<R>(_ slot: Slot, _ frame: Frame, name: String, span: SourceSpan, _ body: (inout Value) throws -> R) throws -> R {
        switch slot {
        case .local(let i):
            var value = frame.slots[i]
            frame.slots[i] = .void
            defer { frame.slots[i] = value }
            return try body(&value)
        case .captured(let depth, let i):
            let owner = frame.ancestor(depth)
            var value = owner.slots[i]
            owner.slots[i] = .void
            defer { owner.slots[i] = value }
            return try body(&value)
        case .global(let i):
            guard var value = globals.take(i) else {
                throw RuntimeError("'\(name)' is used before it is defined", kind: .unknownName, span: span)
            }
            defer { globals.write(i, value) }
            return try body(&value)
        default:
            throw RuntimeError("cannot assign to '\(name)'", span: span)
        }
    }

    // MARK: - Statements

    func execBlock(_ block: Block, _ frame: Frame) throws -> Flow {
        var deferred: [Block]?
        defer {
            if let deferred {
                for block in deferred.reversed() { _ = try? execBlock(block, frame) }
            }
        }
        for statement in block.statements {
            if case .deferStatement(let body) = statement.kind {
                deferred = (deferred ?? []) + [body]
                continue
            }
            let flow = try exec(statement, frame)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    func exec(_ statement: Stmt, _ frame: Frame) throws -> Flow {
        do {
            return try execUnchecked(statement, frame)
        } catch var error as RuntimeError where error.span == nil {
            error.span = statement.span
            throw error
        }
    }

    private func execUnchecked(_ statement: Stmt, _ frame: Frame) throws -> Flow {
        switch statement.kind {
        case .expression(let e):
            _ = try eval(e, frame)
        case .variable(let decl):
            try execVariable(decl, frame)
        case .function(let decl):
            guard let binding = decl.binding else { break }
            let function = FunctionValue(name: decl.name, kind: .user(decl, captured: frame))
            // Functions that differ in argument labels are overloads; the same labels replace.
            if case .function(let existing) = (try? readSlot(binding.slot, frame)) ?? .void, case .user(let old, _) = existing.kind,
               old.selector != decl.selector {
                function.alternatives = ([existing] + existing.alternatives).filter {
                    if case .user(let d, _) = $0.kind { return d.selector != decl.selector }
                    return false
                }
            }
            store(binding.slot, .function(function), frame)
            if case .global(let i) = binding.slot { globals.declare(i, isMutable: false, type: nil, doc: decl.doc, kind: "function") }
        case .structure(let decl):
            let type = UserType(name: decl.name, isEnum: false)
            if let binding = decl.binding {
                store(binding.slot, .type(.structure(type)), frame)
                if case .global(let i) = binding.slot { globals.declare(i, isMutable: false, type: nil, doc: decl.doc, kind: "type") }
            }
            try fillStruct(type, decl, frame)
        case .enumeration(let decl):
            let type = UserType(name: decl.name, isEnum: true)
            if let binding = decl.binding {
                store(binding.slot, .type(.enumeration(type)), frame)
                if case .global(let i) = binding.slot { globals.declare(i, isMutable: false, type: nil, doc: decl.doc, kind: "type") }
            }
            try fillEnum(type, decl, frame)
        case .extensionDecl(let ext):
            try execExtension(ext, frame)
        case .assign(let target, let op, let valueExpr):
            try assign(target, op: op, valueExpr, frame, span: statement.span)
        case .ifStatement(let conditions, let then, let elseBranch):
            if try evalConditions(conditions, frame) {
                return try execBlock(then, frame)
            } else if let elseBranch {
                return try exec(elseBranch, frame)
            }
        case .guardStatement(let conditions, let body):
            if try !evalConditions(conditions, frame) {
                let flow = try execBlock(body, frame)
                if case .normal = flow {
                    throw RuntimeError("the 'guard' body must not fall through: end it with return, throw, break or continue", span: statement.span)
                }
                return flow
            }
        case .whileLoop(let label, let conditions, let body):
            while try evalConditions(conditions, frame) {
                try context.interrupt.check()
                let flow = try execBlock(body, frame)
                switch flow {
                case .normal: continue
                case .breakLoop(let l) where l == nil || l == label: return .normal
                case .continueLoop(let l) where l == nil || l == label: continue
                default: return flow
                }
            }
        case .repeatWhile(let label, let body, let condition):
            repeat {
                try context.interrupt.check()
                let flow = try execBlock(body, frame)
                switch flow {
                case .normal: break
                case .breakLoop(let l) where l == nil || l == label: return .normal
                case .continueLoop(let l) where l == nil || l == label: break
                default: return flow
                }
            } while try isTrue(eval(condition, frame), condition.span)
        case .forIn(let label, let pattern, let sequence, let whereClause, let body):
            return try execFor(label: label, pattern, sequence, whereClause, body, frame)
        case .switchStatement(let subject, let cases):
            return try execSwitch(subject, cases, frame, span: statement.span)
        case .breakStatement(let label): return .breakLoop(label)
        case .continueStatement(let label): return .continueLoop(label)
        case .fallthroughStatement: return .fallthroughCase
        case .returnStatement(let value):
            guard let value else { return .returnValue(.void) }
            let result = try eval(value, frame)
            if let type = returnTypes.last ?? nil {
                return .returnValue(try coerce(result, to: type, literal: isLiteral(value), span: value.span))
            }
            return .returnValue(result)
        case .throwStatement(let value):
            throw ThrownError(try eval(value, frame), span: statement.span)
        case .doCatch(let body, let clauses):
            return try execDoCatch(body, clauses, frame)
        case .block(let block):
            return try execBlock(block, frame)
        case .deferStatement(let block):
            _ = try execBlock(block, frame)
        case .empty:
            break
        }
        return .normal
    }

    /// Declared return types of the user functions being run (nil when unannotated).
    var returnTypes: [TypeAnnotation?] = []

    private func execVariable(_ decl: VariableDecl, _ frame: Frame) throws {
        var value: Value
        if let initializer = decl.initializer {
            value = try eval(initializer, frame)
            if let type = decl.type { value = try coerce(value, to: type, literal: isLiteral(initializer), span: initializer.span) }
        } else if case .optional = decl.type {
            value = .null
        } else {
            value = .void
        }
        if case .binding(let binding) = decl.pattern {
            store(binding.slot, value, frame)
            if case .global(let i) = binding.slot {
                globals.declare(i, isMutable: decl.isMutable, type: decl.type, doc: decl.doc, kind: "variable")
            }
            return
        }
        guard try match(decl.pattern, value, frame) else {
            throw RuntimeError("cannot destructure \(value.typeName) with this pattern", kind: .typeMismatch)
        }
        for binding in decl.pattern.bindings {
            if case .global(let i) = binding.slot {
                globals.declare(i, isMutable: decl.isMutable, type: nil, doc: decl.doc, kind: "variable")
            }
        }
    }

    func evalConditions(_ conditions: [Condition], _ frame: Frame) throws -> Bool {
        for condition in conditions {
            switch condition {
            case .boolean(let e):
                if try !isTrue(eval(e, frame), e.span) { return false }
            case .optionalBinding(let binding, let e, let type):
                let value = try eval(e, frame)
                guard let inner = value.unwrapped else { return false }
                store(binding.slot, try type.map { try coerce(inner, to: $0, literal: false, span: e.span) } ?? inner, frame)
            case .patternMatch(let pattern, let e):
                if try !match(pattern, eval(e, frame), frame) { return false }
            }
        }
        return true
    }

    func isTrue(_ value: Value, _ span: SourceSpan) throws -> Bool {
        guard case .bool(let b) = value else {
            throw RuntimeError("a condition must be a Bool, not \(value.typeName)", kind: .typeMismatch, span: span)
        }
        return b
    }

    private func execFor(label: String?, _ pattern: Pattern, _ sequenceExpr: Expr, _ whereClause: Expr?, _ body: Block, _ frame: Frame) throws -> Flow {
        let sequence = try eval(sequenceExpr, frame)
        let iterationSize = body.iteration?.frameSize ?? 0
        var fastSlot: Int?
        if iterationSize == 0, case .binding(let b) = pattern, case .local(let i) = b.slot { fastSlot = i }
        // Returns nil to keep going, or the flow that ends the loop.
        func step(_ element: Value) throws -> Flow? {
            try context.interrupt.check()
            // A fresh frame per iteration when closures capture the loop's variables.
            let scope = iterationSize > 0 ? Frame(size: iterationSize, parent: frame) : frame
            if let i = fastSlot {
                frame.slots[i] = element
            } else if try !match(pattern, element, scope) {
                return nil
            }
            if let whereClause, try !isTrue(eval(whereClause, scope), whereClause.span) { return nil }
            let flow = try execBlock(body, scope)
            switch flow {
            case .normal: return nil
            case .breakLoop(let l) where l == nil || l == label: return .normal
            case .continueLoop(let l) where l == nil || l == label: return nil
            default: return flow
            }
        }
        switch sequence {
        case .range(let range):
            guard case .int = range.lower, case .int = range.upper else {
                throw RuntimeError("cannot iterate over a range of \(range.lower.typeName) (use stride(from:to:by:))", kind: .typeMismatch, span: sequenceExpr.span)
            }
            guard let bounds = range.intRange else {
                if case .int(let low) = range.lower, case .int(let high) = range.upper, high < low {
                    throw RuntimeError("Range requires lowerBound <= upperBound", span: sequenceExpr.span)
                }
                return .normal
            }
            for i in bounds { if let flow = try step(.int(i)) { return flow } }
        case .array(let items):
            for item in items { if let flow = try step(item) { return flow } }
        case .dictionary(let d):
            for (key, value) in zip(d.keys, d.values) {
                if let flow = try step(.tuple(TupleValue([key, value], labels: ["key", "value"]))) { return flow }
            }
        case .string(let s):
            for c in s { if let flow = try step(.string(String(c))) { return flow } }
        case .object(let sequence as NativeSequence):
            for item in try withSpan(sequenceExpr.span, { try sequence.elements() }) {
                if let flow = try step(item) { return flow }
            }
        case .object(let o):
            throw RuntimeError("cannot iterate over \(o.typeName)", kind: .typeMismatch, span: sequenceExpr.span)
        default:
            throw RuntimeError("cannot iterate over a value of type \(sequence.typeName)", kind: .typeMismatch, span: sequenceExpr.span)
        }
        return .normal
    }

    private func execSwitch(_ subjectExpr: Expr, _ cases: [SwitchCase], _ frame: Frame, span: SourceSpan) throws -> Flow {
        let subject = try eval(subjectExpr, frame)
        var falling = false
        for c in cases {
            var matched = falling || c.isDefault
            if !matched {
                for pattern in c.patterns where try match(pattern, subject, frame) {
                    matched = true
                    break
                }
                if matched, let g = c.guardExpr, try !isTrue(eval(g, frame), g.span) { matched = false }
            }
            guard matched else { continue }
            let flow = try execBlock(c.body, frame)
            switch flow {
            case .fallthroughCase: falling = true; continue
            case .breakLoop(nil): return .normal
            default: return flow
            }
        }
        if falling { return .normal }
        throw RuntimeError("no case of the switch matched \(Formatter.debugDescription(of: subject)) (add a 'default' case)", span: span)
    }

    private func execDoCatch(_ body: Block, _ clauses: [CatchClause], _ frame: Frame) throws -> Flow {
        do {
            return try execBlock(body, frame)
        } catch let error as ThrownError {
            return try handle(error.value, original: error, clauses, frame)
        } catch let error as RuntimeError where error.kind == .interrupted {
            return try handle(.object(InterruptErrorObject()), original: error, clauses, frame)
        }
    }

    private func handle(_ value: Value, original: Error, _ clauses: [CatchClause], _ frame: Frame) throws -> Flow {
        for clause in clauses {
            if let pattern = clause.pattern {
                guard try match(pattern, value, frame) else { continue }
            }
            store(clause.errorBinding.slot, value, frame)
            if let g = clause.guardExpr, try !isTrue(eval(g, frame), g.span) { continue }
            return try execBlock(clause.body, frame)
        }
        throw original
    }

    // MARK: - Type declarations

    private func fillStruct(_ type: UserType, _ decl: StructDecl, _ frame: Frame) throws {
        type.isClass = decl.isClass
        // A subclass starts with its superclass's members (no `super` calls).
        if decl.isClass, let superName = decl.conformances.first, let slot = globals.lookup(superName),
           case .type(.structure(let superclass))? = globals.read(slot), superclass.isClass {
            type.storedProperties = superclass.storedProperties
            type.fieldIndex = superclass.fieldIndex
            type.computed = superclass.computed
            type.methods = superclass.methods
            type.initializers = superclass.initializers
            type.conformances = superclass.conformances + [superclass.name]
        }
        type.doc = decl.doc
        type.conformances += decl.conformances
        type.captured = frame
        if decl.members.contains(where: { if case .function(let f) = $0.kind { return f.isInitializer }; return false }) {
            type.initializers = []
        }
        try addMembers(decl.members, to: type, frame)
    }

    private func fillEnum(_ type: UserType, _ decl: EnumDecl, _ frame: Frame) throws {
        type.doc = decl.doc
        type.conformances = decl.conformances
        type.captured = frame
        let rawType = decl.conformances.first
        var nextInt = 0
        for c in decl.cases {
            var raw: Value?
            if let expr = c.rawValue {
                raw = try eval(expr, frame)
                if rawType == "Double", case .int(let i) = raw { raw = .double(Double(i)) }
                if case .int(let i) = raw { nextInt = i &+ 1 }
            } else if rawType == "String" {
                raw = .string(c.name)
            } else if rawType == "Int" {
                raw = .int(nextInt)
                nextInt &+= 1
            }
            type.caseIndex[c.name] = type.cases.count
            type.cases.append(UserType.CaseInfo(name: c.name, rawValue: raw, associated: c.associated))
        }
        try addMembers(decl.members, to: type, frame)
    }

    func addMembers(_ members: [Stmt], to type: UserType, _ frame: Frame) throws {
        // Static stored values last: their initializers may construct the type itself.
        let ordered = members.filter { !$0.isStaticStoredProperty } + members.filter(\.isStaticStoredProperty)
        for member in ordered {
            switch member.kind {
            case .variable(let v):
                guard case .binding(let binding) = v.pattern else { continue }
                if v.isStatic {
                    if let getter = v.getter {
                        type.staticComputed[binding.name] = getter
                    } else if let initial = v.initializer {
                        var value = try callStaticInitializer(initial, type: type, frame)
                        if let t = v.type { value = try coerce(value, to: t, literal: isLiteral(initial), span: initial.span) }
                        type.staticValues[binding.name] = value
                    }
                } else if let getter = v.getter {
                    type.computed[binding.name] = (getter, v.setter)
                } else if type.isEnum {
                    throw RuntimeError("enums cannot have stored properties ('\(binding.name)')", span: member.span)
                } else {
                    type.fieldIndex[binding.name] = type.storedProperties.count
                    type.storedProperties.append(.init(name: binding.name, isMutable: v.isMutable, type: v.type, initial: v.initializer))
                }
            case .function(let f):
                if f.isInitializer { type.initializers.append(f) }
                else if f.isStatic { type.staticMethods[f.name] = f }
                else { type.methods[f.name] = f }
            default:
                break
            }
        }
    }

    /// A static stored property's initial value: evaluated once, with `self` being the type.
    private func callStaticInitializer(_ initial: Expr, type: UserType, _ frame: Frame) throws -> Value {
        let staticFrame = Frame(size: 1, parent: frame)
        staticFrame.slots[0] = .type(type.isEnum ? .enumeration(type) : .structure(type))
        return try eval(initial, staticFrame)
    }

    private func execExtension(_ ext: ExtensionDecl, _ frame: Frame) throws {
        if let slot = globals.lookup(ext.typeName), let value = globals.read(slot), case .type(let t) = value {
            switch t {
            case .structure(let type), .enumeration(let type):
                let savedCapture = type.captured
                try addMembers(ext.members, to: type, frame)
                type.captured = savedCapture ?? frame
                return
            case .named:
                break
            }
        }
        let type = extensions[ext.typeName] ?? UserType(name: ext.typeName, isEnum: false)
        type.captured = frame
        try addMembers(ext.members, to: type, frame)
        extensions[ext.typeName] = type
    }

    /// Member names of a type, for the resolver's implicit `self.`.
    func memberNames(ofType name: String) -> Set<String>? {
        var names: Set<String> = []
        if let slot = globals.lookup(name), let value = globals.read(slot), case .type(let t) = value {
            switch t {
            case .structure(let type), .enumeration(let type): names.formUnion(type.memberNames)
            case .named: break
            }
        }
        if let ext = extensions[name] { names.formUnion(ext.memberNames) }
        let registryName = ["Array": "Array", "Dictionary": "Dictionary"][name] ?? name
        if let native = registry.types[registryName] { names.formUnion(native.properties.keys); names.formUnion(native.methods.keys) }
        return names.isEmpty ? nil : names
    }
}

extension Stmt {
    /// `static let x = …` inside a type.
    var isStaticStoredProperty: Bool {
        if case .variable(let v) = kind { return v.isStatic && v.getter == nil }
        return false
    }
}
