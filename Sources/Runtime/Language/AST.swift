/// The syntax tree. Plain data, except the few reference nodes (`NameRef`, `Binding`,
/// `FunctionDecl`, `StructDecl`, `EnumDecl`) the resolver annotates with slots in place.

/// A type as written in an annotation.
public indirect enum TypeAnnotation: CustomStringConvertible {
    case named(String, [TypeAnnotation])
    case array(TypeAnnotation)
    case dictionary(TypeAnnotation, TypeAnnotation)
    case optional(TypeAnnotation)
    case tuple([TypeAnnotation], labels: [String?])
    case function([TypeAnnotation], TypeAnnotation)

    public var description: String {
        switch self {
        case .named(let name, let args): return args.isEmpty ? name : "\(name)<" + args.map(\.description).joined(separator: ", ") + ">"
        case .array(let e): return "[\(e)]"
        case .dictionary(let k, let v): return "[\(k): \(v)]"
        case .optional(let w): return "\(w)?"
        case .tuple(let items, let labels):
            return "(" + zip(items, labels).map { ($1.map { "\($0): " } ?? "") + $0.description }.joined(separator: ", ") + ")"
        case .function(let params, let result): return "(" + params.map(\.description).joined(separator: ", ") + ") -> \(result)"
        }
    }
}

/// A binary operator, decided once by the parser.
enum BinaryOp: String {
    case and = "&&"
    case or = "||"
    case nilCoalescing = "??"
    case halfOpenRange = "..<"
    case closedRange = "..."
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case identical = "==="
    case notIdentical = "!=="
    case patternMatch = "~="
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"
    case wrappingAdd = "&+"
    case wrappingSubtract = "&-"
    case wrappingMultiply = "&*"
    case bitAnd = "&"
    case bitOr = "|"
    case bitXor = "^"
    case shiftLeft = "<<"
    case shiftRight = ">>"
}

/// Where a name's value lives, decided once by the resolver.
enum Slot {
    case unresolved
    /// In the current frame.
    case local(Int)
    /// In an enclosing frame, `depth` parents up.
    case captured(depth: Int, index: Int)
    /// In the session's global table.
    case global(Int)
    /// A native function, type or constant from the registry.
    case native
    /// `name` means `self.name` inside a method; `selfSlot` is where `self` is.
    indirect case selfMember(selfSlot: Slot)
}

/// A use of a name.
final class NameRef {
    let name: String
    let span: SourceSpan
    var slot: Slot = .unresolved
    /// The registry value for `.native`, filled by the resolver.
    var nativeValue: Value?
    /// The binding is a `let` (assignments and mutating calls are errors).
    var isConstant = false
    /// The binding's annotation (`Int?` makes assignments wrap in Optional).
    var declaredType: TypeAnnotation?

    init(name: String, span: SourceSpan) {
        self.name = name
        self.span = span
    }
}

/// A declaration of a name (let/var, parameter, pattern variable).
final class Binding {
    let name: String
    let span: SourceSpan
    let isMutable: Bool
    var slot: Slot = .unresolved
    var declaredType: TypeAnnotation?

    init(name: String, span: SourceSpan, isMutable: Bool) {
        self.name = name
        self.span = span
        self.isMutable = isMutable
    }
}

struct Argument {
    var label: String?
    var value: Expr
    /// `&x` passed to an inout parameter.
    var isInout: Bool = false
    /// A trailing closure: matches the next parameter whatever its label.
    var isTrailing: Bool = false
}

enum InterpolationPart {
    case text(String)
    case code(Expr)
}

struct Expr {
    var kind: ExprKind
    var span: SourceSpan
}

indirect enum ExprKind {
    case literal(Value)
    case interpolation([InterpolationPart])
    case name(NameRef)
    /// `.north`, `.whitespaces`, `.value(3)` without a type in front.
    case implicitMember(String)
    case array([Expr])
    case dictionary([(Expr, Expr)])
    /// `[Int]()`, `[String: Int]()`.
    case emptyCollection(TypeAnnotation)
    case tuple([Expr], labels: [String?])
    case unary(String, Expr)
    /// The operator, its operands, and where the operator is (errors point at it).
    case binary(BinaryOp, Expr, Expr, opStart: Int)
    case ternary(Expr, Expr, Expr)
    case call(Expr, [Argument])
    case member(Expr, String)
    case subscriptAccess(Expr, [Argument])
    case forceUnwrap(Expr)
    /// `x?` inside an optional chain.
    case bindOptional(Expr)
    /// The whole chain `a?.b.c`: nil when any `?` link is nil.
    case optionalChain(Expr)
    case closure(FunctionDecl)
    case tryExpr(TryKind, Expr)
    case typeCheck(Expr, TypeAnnotation)
    case cast(Expr, TypeAnnotation, CastKind)
    /// A type used as a value in expression position: `Int.max`, `[Int].self` is not supported.
    case typeReference(TypeAnnotation)
    /// `x = v`, `x += v` used where an expression is expected (closure bodies).
    case assignment(Expr, BinaryOp?, Expr)
}

enum TryKind { case plain, optional, forced }
enum CastKind { case plain, optional, forced }

struct Block {
    var statements: [Stmt]
    /// For a for-in body: set by the resolver when closures in the body capture its variables,
    /// so each iteration gets its own frame (as in Swift, each closure sees its own iteration).
    var iteration: IterationScope?
}

/// The frame layout of a loop body that runs in a fresh frame per iteration.
final class IterationScope {
    var frameSize = 0
}

struct Stmt {
    var kind: StmtKind
    var span: SourceSpan
}

indirect enum StmtKind {
    case expression(Expr)
    case variable(VariableDecl)
    case function(FunctionDecl)
    case structure(StructDecl)
    case enumeration(EnumDecl)
    case extensionDecl(ExtensionDecl)
    case assign(Expr, BinaryOp?, Expr)
    case ifStatement([Condition], Block, Stmt?)
    case guardStatement([Condition], Block)
    case whileLoop(label: String?, [Condition], Block)
    case repeatWhile(label: String?, Block, Expr)
    case forIn(label: String?, Pattern, Expr, whereClause: Expr?, Block)
    case switchStatement(Expr, [SwitchCase])
    case breakStatement(String?)
    case continueStatement(String?)
    case fallthroughStatement
    case returnStatement(Expr?)
    case throwStatement(Expr)
    case doCatch(Block, [CatchClause])
    case block(Block)
    case deferStatement(Block)
    case empty
}

enum Condition {
    case boolean(Expr)
    /// `let x = e` / `var x = e` / `let x` (shorthand).
    case optionalBinding(Binding, Expr, TypeAnnotation?)
    /// `case pattern = e`.
    case patternMatch(Pattern, Expr)
}

struct SwitchCase {
    var patterns: [Pattern]
    var guardExpr: Expr?
    var body: Block
    var isDefault: Bool
    var span: SourceSpan
}

struct CatchClause {
    var pattern: Pattern?
    var guardExpr: Expr?
    var body: Block
    /// The implicit `error` binding when there is no pattern.
    var errorBinding: Binding
}

indirect enum Pattern {
    case wildcard
    case binding(Binding)
    /// Compared with `==`, or `~=` for ranges.
    case expression(Expr)
    case tuple([Pattern], labels: [String?])
    /// `.name`, `Type.name`, `.name(let a, _)`.
    case enumCase(name: String, arguments: [Pattern]?)
    /// `let x?` / `.some(x)`.
    case optionalSome(Pattern)
    /// `is Type` or `let x as Type`.
    case typeCheck(TypeAnnotation, Pattern?)
}

struct VariableDecl {
    var isMutable: Bool
    var pattern: Pattern
    var type: TypeAnnotation?
    var initializer: Expr?
    var isStatic: Bool = false
    /// A computed property (`var area: Double { … }`): the getter.
    var getter: FunctionDecl?
    var setter: FunctionDecl?
    var doc: String?
}

struct Parameter {
    var label: String?
    var name: String
    var type: TypeAnnotation?
    var defaultValue: Expr?
    var isInout: Bool
    var isVariadic: Bool
    var binding: Binding
}

/// A function, method, initializer or closure.
final class FunctionDecl {
    let name: String
    var parameters: [Parameter]
    var returnType: TypeAnnotation?
    var body: Block
    var isMutating = false
    var isStatic = false
    var canThrow = false
    var isClosure = false
    var isInitializer = false
    /// A failable initializer (`init?`).
    var isFailable = false
    var doc: String?
    let span: SourceSpan
    // Filled by the resolver:
    var frameSize = 0
    /// `self` lives in local slot 0 of methods and initializers.
    var hasSelf = false
    /// For closures using `$0`…: the number of implicit parameters.
    var implicitParameterCount = 0
    /// Where a declared (non-closure) function is stored.
    var binding: Binding?

    init(name: String, parameters: [Parameter], returnType: TypeAnnotation?, body: Block, span: SourceSpan) {
        self.name = name
        self.parameters = parameters
        self.returnType = returnType
        self.body = body
        self.span = span
    }

    /// `name(label:_:)`.
    var selector: String { "\(name)(" + parameters.map { "\($0.label ?? "_"):" }.joined() + ")" }

    /// `func name(_ x: Int, y: Double = 1) -> Int`.
    var signature: String {
        let params = parameters.map { p -> String in
            let head = p.label == p.name ? p.name : "\(p.label ?? "_") \(p.name)"
            return head + (p.type.map { ": \(p.isInout ? "inout " : "")\($0)\(p.isVariadic ? "..." : "")" } ?? "")
                + (p.defaultValue != nil ? " = …" : "")
        }
        let result = returnType.map { " -> \($0)" } ?? ""
        return "func \(name)(" + params.joined(separator: ", ") + ")" + (canThrow ? " throws" : "") + result
    }
}

final class StructDecl {
    let name: String
    /// Declared with `class`: instances are shared references.
    var isClass = false
    var members: [Stmt]
    var conformances: [String]
    var doc: String?
    let span: SourceSpan
    var binding: Binding?

    init(name: String, members: [Stmt], conformances: [String], span: SourceSpan) {
        self.name = name
        self.members = members
        self.conformances = conformances
        self.span = span
    }
}

struct EnumCaseDecl {
    var name: String
    var rawValue: Expr?
    var associated: [(label: String?, type: TypeAnnotation)]?
}

final class EnumDecl {
    let name: String
    var cases: [EnumCaseDecl]
    var members: [Stmt]
    var conformances: [String]
    var doc: String?
    let span: SourceSpan
    var binding: Binding?

    init(name: String, cases: [EnumCaseDecl], members: [Stmt], conformances: [String], span: SourceSpan) {
        self.name = name
        self.cases = cases
        self.members = members
        self.conformances = conformances
        self.span = span
    }
}

final class ExtensionDecl {
    let typeName: String
    var members: [Stmt]
    let span: SourceSpan

    init(typeName: String, members: [Stmt], span: SourceSpan) {
        self.typeName = typeName
        self.members = members
        self.span = span
    }
}
