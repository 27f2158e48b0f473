/// Binds every name to a slot once, before a cell runs, so lookups at run time are array indexing.
///
/// Top-level declarations of a cell go to the session's global table (a later cell's `let x`
/// reuses x's slot: that is shadowing); names in nested blocks and functions get frame slots.
final class Resolver {
    private struct Local {
        var slot: Int
        var isMutable: Bool
        var type: TypeAnnotation?
    }

    private final class FunctionContext {
        var scopes: [[String: Local]] = [[:]]
        var nextSlot = 0
        /// Names meaning `self.name` (inside methods).
        var selfMembers: Set<String>?
        var selfIsMutable = false

        func declare(_ name: String, isMutable: Bool, type: TypeAnnotation?) -> Int {
            if let existing = scopes[scopes.count - 1][name] {
                // Several patterns of one switch case bind the same name to one slot.
                scopes[scopes.count - 1][name] = Local(slot: existing.slot, isMutable: isMutable, type: type)
                return existing.slot
            }
            let slot = nextSlot
            nextSlot += 1
            scopes[scopes.count - 1][name] = Local(slot: slot, isMutable: isMutable, type: type)
            return slot
        }
    }

    private var functions: [FunctionContext] = []
    private let globals: GlobalTable
    private let registry: NativeRegistry
    /// Member names of user types known from earlier cells.
    private let typeMembers: (String) -> Set<String>?
    /// Member names of types declared in this cell.
    private var cellTypeMembers: [String: Set<String>] = [:]
    /// Declarations of this cell's globals (mutability and annotation) seen so far.
    private var cellGlobals: [String: (isMutable: Bool, type: TypeAnnotation?)] = [:]
    /// Closures resolved so far (a loop whose body adds some needs per-iteration frames).
    private var closuresResolved = 0
    /// Every top-level name this cell declares.
    private var cellPredeclared: Set<String> = []

    static let builtinTypeNames: Set<String> = [
        "Int", "Double", "Float", "String", "Bool", "Character", "Array", "Dictionary", "Set", "Optional",
        "Substring", "Range", "ClosedRange", "Error", "Any", "AnyObject", "Void", "Int64", "Int32", "UInt",
    ]

    static let operatorNames: Set<String> = ["+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "!=", "&&", "||"]

    init(globals: GlobalTable, registry: NativeRegistry, typeMembers: @escaping (String) -> Set<String>?) {
        self.globals = globals
        self.registry = registry
        self.typeMembers = typeMembers
    }

    /// Resolves a whole cell; returns the size of the cell's own frame.
    func resolveCell(_ statements: [Stmt]) throws -> Int {
        let cell = FunctionContext()
        functions = [cell]
        for statement in statements { predeclareGlobal(statement) }
        try resolveStatements(statements, hoist: false)
        return cell.nextSlot
    }

    private var isGlobalScope: Bool { functions.count == 1 && functions[0].scopes.count == 1 }

    private func predeclareGlobal(_ statement: Stmt) {
        func global(_ name: String, _ span: SourceSpan) -> Binding {
            cellPredeclared.insert(name)
            let binding = Binding(name: name, span: span, isMutable: false)
            binding.slot = .global(globals.slot(for: name))
            return binding
        }
        switch statement.kind {
        case .variable(let decl):
            for binding in decl.pattern.bindings {
                cellPredeclared.insert(binding.name)
                binding.slot = .global(globals.slot(for: binding.name))
            }
        case .function(let decl): decl.binding = global(decl.name, decl.span)
        case .structure(let decl):
            decl.binding = global(decl.name, decl.span)
            cellTypeMembers[decl.name] = Resolver.memberNames(decl.members, isStatic: false)
        case .enumeration(let decl):
            decl.binding = global(decl.name, decl.span)
            cellTypeMembers[decl.name] = Resolver.memberNames(decl.members, isStatic: false)
        default: break
        }
    }

    static func memberNames(_ members: [Stmt], isStatic: Bool) -> Set<String> {
        var names: Set<String> = []
        for member in members {
            switch member.kind {
            case .variable(let v) where v.isStatic == isStatic: names.formUnion(v.pattern.bindings.map(\.name))
            case .function(let f) where f.isStatic == isStatic && !f.isInitializer: names.insert(f.name)
            default: break
            }
        }
        return names
    }

    // MARK: - Declaring

    private func declare(_ binding: Binding, type: TypeAnnotation? = nil) {
        binding.declaredType = type
        if isGlobalScope {
            binding.slot = .global(globals.slot(for: binding.name))
            cellGlobals[binding.name] = (binding.isMutable, type)
        } else {
            binding.slot = .local(functions[functions.count - 1].declare(binding.name, isMutable: binding.isMutable, type: type))
        }
    }

    private func declareName(_ name: String, span: SourceSpan, isMutable: Bool = false) -> Binding {
        let binding = Binding(name: name, span: span, isMutable: isMutable)
        declare(binding)
        return binding
    }

    private func pushScope() { functions[functions.count - 1].scopes.append([:]) }
    private func popScope() { functions[functions.count - 1].scopes.removeLast() }

    // MARK: - Looking up

    private func lookup(_ ref: NameRef) throws {
        let name = ref.name
        for (depth, function) in functions.reversed().enumerated() {
            let isCell = function === functions[0]
            for (k, scope) in function.scopes.enumerated().reversed() {
                if isCell && k == 0 { continue }
                if let local = scope[name] {
                    ref.slot = depth == 0 ? .local(local.slot) : .captured(depth: depth, index: local.slot)
                    ref.isConstant = !local.isMutable
                    ref.declaredType = local.type
                    return
                }
            }
            if let members = function.selfMembers, members.contains(name) {
                ref.slot = .selfMember(selfSlot: depth == 0 ? .local(0) : .captured(depth: depth, index: 0))
                ref.isConstant = !function.selfIsMutable
                return
            }
        }
        if let declared = cellGlobals[name] {
            ref.slot = .global(globals.slot(for: name))
            ref.isConstant = !declared.isMutable
            ref.declaredType = declared.type
            return
        }
        if let slot = globals.lookup(name), let entry = globals.entry(named: name), entry.value != nil {
            ref.slot = .global(slot)
            ref.isConstant = !entry.isMutable
            ref.declaredType = entry.type
            return
        }
        if cellPredeclared.contains(name) {
            // Declared later in this cell at top level (a function or type used before its line).
            ref.slot = .global(globals.slot(for: name))
            return
        }
        if let value = nativeValue(for: name) {
            ref.slot = .native
            ref.nativeValue = value
            ref.isConstant = true
            return
        }
        // Not known yet: looked up again when it runs (a later cell may define it).
        ref.slot = .unresolved
    }

    private func nativeValue(for name: String) -> Value? {
        if let overloads = registry.functions[name] {
            return .function(FunctionValue(name: name, kind: .native(overloads, receiver: .void)))
        }
        if registry.types[name] != nil || Resolver.builtinTypeNames.contains(name) { return .type(.named(name)) }
        if let constant = registry.constants[name] { return constant.value }
        if Resolver.operatorNames.contains(name) { return .function(FunctionValue(name: name, kind: .operatorFunction(name))) }
        return nil
    }

    // MARK: - Statements

    private func resolveStatements(_ statements: [Stmt], hoist: Bool = true) throws {
        if hoist {
            // Local functions and types can be used before their declaration in the block.
            for statement in statements {
                switch statement.kind {
                case .function(let decl): decl.binding = declareName(decl.name, span: decl.span)
                case .structure(let decl): decl.binding = declareName(decl.name, span: decl.span)
                    cellTypeMembers[decl.name] = Resolver.memberNames(decl.members, isStatic: false)
                case .enumeration(let decl): decl.binding = declareName(decl.name, span: decl.span)
                    cellTypeMembers[decl.name] = Resolver.memberNames(decl.members, isStatic: false)
                default: break
                }
            }
        }
        for statement in statements { try resolve(statement) }
    }

    private func resolveBlock(_ block: Block) throws {
        pushScope()
        defer { popScope() }
        try resolveStatements(block.statements)
    }

    private func resolve(_ statement: Stmt) throws {
        switch statement.kind {
        case .expression(let e): try resolve(e)
        case .variable(let decl):
            if let initializer = decl.initializer { try resolve(initializer) }
            if decl.getter != nil {
                throw ParseError("computed variables are supported only inside struct, enum and extension declarations", span: statement.span)
            }
            for binding in decl.pattern.bindings {
                // `let r: Int` assigned later (once) is allowed.
                let mutable = decl.isMutable || decl.initializer == nil
                let declared = Binding(name: binding.name, span: binding.span, isMutable: mutable)
                declare(declared, type: decl.pattern.isSingleBinding ? decl.type : nil)
                binding.slot = declared.slot
                binding.declaredType = declared.declaredType
            }
            if isGlobalScope {
                for binding in decl.pattern.bindings {
                    cellGlobals[binding.name] = (decl.isMutable || decl.initializer == nil, decl.pattern.isSingleBinding ? decl.type : nil)
                }
            }
        case .function(let decl):
            if isGlobalScope {
                cellGlobals[decl.name] = (false, nil)
            } else if decl.binding == nil {
                decl.binding = declareName(decl.name, span: decl.span)
            }
            try resolveFunction(decl, selfMembers: nil, hasSelf: false, selfIsMutable: false)
        case .structure(let decl):
            if isGlobalScope { cellGlobals[decl.name] = (false, nil) }
            try resolveTypeMembers(decl.members, typeName: decl.name, ownMembers: Resolver.memberNames(decl.members, isStatic: false),
                                   staticMembers: Resolver.memberNames(decl.members, isStatic: true), isClass: decl.isClass)
        case .enumeration(let decl):
            if isGlobalScope { cellGlobals[decl.name] = (false, nil) }
            for c in decl.cases { if let raw = c.rawValue { try resolve(raw) } }
            try resolveTypeMembers(decl.members, typeName: decl.name, ownMembers: Resolver.memberNames(decl.members, isStatic: false),
                                   staticMembers: Resolver.memberNames(decl.members, isStatic: true).union(decl.cases.map(\.name)))
        case .extensionDecl(let ext):
            var members = Resolver.memberNames(ext.members, isStatic: false)
            if let known = cellTypeMembers[ext.typeName] ?? typeMembers(ext.typeName) { members.formUnion(known) }
            cellTypeMembers[ext.typeName, default: []].formUnion(members)
            try resolveTypeMembers(ext.members, typeName: ext.typeName, ownMembers: members,
                                   staticMembers: Resolver.memberNames(ext.members, isStatic: true))
        case .assign(let target, _, let value):
            try resolve(value)
            try resolve(target)
            try checkAssignable(target)
        case .ifStatement(let conditions, let then, let elseBranch):
            pushScope()
            try resolveConditions(conditions)
            try resolveBlock(then)
            popScope()
            if let elseBranch { try resolve(elseBranch) }
        case .guardStatement(let conditions, let body):
            try resolveConditions(conditions)
            try resolveBlock(body)
        case .whileLoop(_, let conditions, let body):
            pushScope()
            try resolveConditions(conditions)
            try resolveBlock(body)
            popScope()
        case .repeatWhile(_, let body, let condition):
            try resolveBlock(body)
            try resolve(condition)
        case .forIn(_, let pattern, let sequence, let whereClause, let body):
            try resolve(sequence)
            let closuresBefore = closuresResolved
            pushScope()
            try resolvePattern(pattern)
            if let whereClause { try resolve(whereClause) }
            try resolveBlock(body)
            popScope()
            if closuresResolved != closuresBefore, let iteration = body.iteration {
                // Closures capture this loop's variables: resolve the body again in a frame of its own.
                let context = FunctionContext()
                functions.append(context)
                defer { functions.removeLast() }
                try resolvePattern(pattern)
                if let whereClause { try resolve(whereClause) }
                try resolveStatements(body.statements)
                iteration.frameSize = max(context.nextSlot, 1)
            }
        case .switchStatement(let subject, let cases):
            try resolve(subject)
            for c in cases {
                pushScope()
                for pattern in c.patterns { try resolvePattern(pattern) }
                if let g = c.guardExpr { try resolve(g) }
                try resolveStatements(c.body.statements)
                popScope()
            }
        case .returnStatement(let value): if let value { try resolve(value) }
        case .throwStatement(let value): try resolve(value)
        case .doCatch(let body, let clauses):
            try resolveBlock(body)
            for clause in clauses {
                pushScope()
                if let pattern = clause.pattern {
                    try resolvePattern(pattern)
                    if !pattern.bindings.contains(where: { $0.name == "error" }) { declare(clause.errorBinding) }
                } else {
                    declare(clause.errorBinding)
                }
                if let g = clause.guardExpr { try resolve(g) }
                try resolveBlock(clause.body)
                popScope()
            }
        case .block(let block): try resolveBlock(block)
        case .deferStatement(let block): try resolveBlock(block)
        case .breakStatement, .continueStatement, .fallthroughStatement, .empty: break
        }
    }

    private func resolveTypeMembers(_ members: [Stmt], typeName: String, ownMembers: Set<String>, staticMembers: Set<String>,
                                    isClass: Bool = false) throws {
        for member in members {
            switch member.kind {
            case .variable(let decl):
                if let initializer = decl.initializer {
                    if decl.isStatic {
                        try withSelf(staticMembers, mutable: false) { try resolve(initializer) }
                    } else {
                        try resolve(initializer)
                    }
                }
                for accessor in [decl.getter, decl.setter].compactMap({ $0 }) {
                    try resolveFunction(accessor, selfMembers: decl.isStatic ? staticMembers : ownMembers, hasSelf: true,
                                        selfIsMutable: (accessor === decl.setter || isClass) && !decl.isStatic)
                }
            case .function(let decl):
                let members = decl.isStatic ? staticMembers : ownMembers
                try resolveFunction(decl, selfMembers: members, hasSelf: true,
                                    selfIsMutable: decl.isMutating || decl.isInitializer || (isClass && !decl.isStatic))
            case .structure, .enumeration:
                throw ParseError("nested type declarations are not supported: declare '\(typeName)' members' types at top level", span: member.span)
            case .empty:
                break
            default:
                throw ParseError("only properties, methods and initializers may appear in a type declaration", span: member.span)
            }
        }
    }

    private func withSelf(_ members: Set<String>, mutable: Bool, _ body: () throws -> Void) throws {
        let context = FunctionContext()
        context.selfMembers = members
        context.selfIsMutable = mutable
        context.nextSlot = 1
        context.scopes[0]["self"] = Local(slot: 0, isMutable: mutable, type: nil)
        functions.append(context)
        defer { functions.removeLast() }
        try body()
    }

    func resolveFunction(_ decl: FunctionDecl, selfMembers: Set<String>?, hasSelf: Bool, selfIsMutable: Bool) throws {
        for parameter in decl.parameters { if let d = parameter.defaultValue { try resolve(d) } }
        let context = FunctionContext()
        context.selfMembers = selfMembers
        context.selfIsMutable = selfIsMutable
        functions.append(context)
        defer { functions.removeLast() }
        if hasSelf {
            decl.hasSelf = true
            _ = context.declare("self", isMutable: selfIsMutable, type: nil)
        }
        for parameter in decl.parameters {
            let type: TypeAnnotation? = parameter.isVariadic ? parameter.type.map { .array($0) } : parameter.type
            parameter.binding.declaredType = type
            parameter.binding.slot = .local(context.declare(parameter.binding.name, isMutable: parameter.isInout || decl.isClosure, type: type))
        }
        try resolveStatements(decl.body.statements)
        decl.frameSize = context.nextSlot
    }

    private func resolveConditions(_ conditions: [Condition]) throws {
        for condition in conditions {
            switch condition {
            case .boolean(let e): try resolve(e)
            case .optionalBinding(let binding, let e, let type):
                try resolve(e)
                declare(binding, type: type)
            case .patternMatch(let pattern, let e):
                try resolve(e)
                try resolvePattern(pattern)
            }
        }
    }

    private func resolvePattern(_ pattern: Pattern) throws {
        switch pattern {
        case .wildcard: break
        case .binding(let binding): declare(binding)
        case .expression(let e): try resolve(e)
        case .tuple(let items, _): for item in items { try resolvePattern(item) }
        case .enumCase(_, let arguments): for item in arguments ?? [] { try resolvePattern(item) }
        case .optionalSome(let inner): try resolvePattern(inner)
        case .typeCheck(_, let inner): if let inner { try resolvePattern(inner) }
        }
    }

    /// `let` constants cannot be assigned, nor can their properties or elements.
    private func checkAssignable(_ target: Expr) throws {
        switch target.kind {
        case .name(let ref):
            if ref.isConstant {
                if case .selfMember = ref.slot {
                    throw ParseError("cannot assign to property '\(ref.name)': 'self' is immutable (mark the method 'mutating')", span: ref.span)
                }
                if case .native = ref.slot { throw ParseError("cannot assign to '\(ref.name)'", span: ref.span) }
                throw ParseError("cannot assign to value: '\(ref.name)' is a 'let' constant (declare it with 'var')", span: ref.span)
            }
        case .member:
            break
        case .subscriptAccess(let base, _), .forceUnwrap(let base), .bindOptional(let base), .optionalChain(let base):
            try checkAssignable(base)
        case .tuple(let items, _):
            for item in items { try checkAssignable(item) }
        default:
            throw ParseError("cannot assign to this expression", span: target.span)
        }
    }

    // MARK: - Expressions

    private func resolve(_ expr: Expr) throws {
        switch expr.kind {
        case .literal, .implicitMember, .emptyCollection, .typeReference: break
        case .interpolation(let parts):
            for case .code(let e) in parts { try resolve(e) }
        case .name(let ref):
            if ref.name == "_" { return }
            try lookup(ref)
            if case .unresolved = ref.slot, ref.name == "swap" { ref.slot = .native; ref.nativeValue = .void }
        case .array(let items): for item in items { try resolve(item) }
        case .dictionary(let pairs): for (k, v) in pairs { try resolve(k); try resolve(v) }
        case .tuple(let items, _): for item in items { try resolve(item) }
        case .unary(_, let e), .forceUnwrap(let e), .bindOptional(let e), .optionalChain(let e), .tryExpr(_, let e),
             .typeCheck(let e, _), .cast(let e, _, _), .member(let e, _):
            try resolve(e)
        case .binary(_, let l, let r, _): try resolve(l); try resolve(r)
        case .ternary(let c, let a, let b): try resolve(c); try resolve(a); try resolve(b)
        case .call(let callee, let arguments):
            try resolve(callee)
            for argument in arguments { try resolve(argument.value) }
        case .subscriptAccess(let base, let arguments):
            try resolve(base)
            for argument in arguments { try resolve(argument.value) }
        case .closure(let decl):
            closuresResolved += 1
            try resolveFunction(decl, selfMembers: nil, hasSelf: false, selfIsMutable: false)
        case .assignment(let target, _, let value):
            try resolve(value)
            try resolve(target)
            try checkAssignable(target)
        }
    }
}

extension Pattern {
    /// The names this pattern binds, in order.
    var bindings: [Binding] {
        switch self {
        case .binding(let b): return [b]
        case .tuple(let items, _): return items.flatMap(\.bindings)
        case .enumCase(_, let arguments): return (arguments ?? []).flatMap(\.bindings)
        case .optionalSome(let inner): return inner.bindings
        case .typeCheck(_, let inner): return inner?.bindings ?? []
        case .wildcard, .expression: return []
        }
    }

    var isSingleBinding: Bool {
        if case .binding = self { return true }
        return false
    }
}
