/// The storage of one function call (or one cell): slots assigned by the resolver.
final class Frame {
    var slots: [Value]
    let parent: Frame?

    init(size: Int, parent: Frame?) {
        slots = Array(repeating: .void, count: size)
        self.parent = parent
    }

    @inline(__always) func ancestor(_ depth: Int) -> Frame {
        var frame = self
        for _ in 0..<depth { frame = frame.parent! }
        return frame
    }
}

/// A function value: a user function or closure, a native function, a bound method.
public final class FunctionValue {
    enum Kind {
        /// A user function or closure with the frame it captured.
        case user(FunctionDecl, captured: Frame?)
        /// A user method bound to its receiver (`p.describe` used as a value).
        case boundMethod(FunctionDecl, type: UserType, receiver: Value, captured: Frame?)
        /// Native overloads; `receiver` is `.void` for free functions.
        case native([NativeFunction], receiver: Value)
        /// `Shape.circle` as a function of its associated values.
        case enumConstructor(UserType, caseName: String)
        /// `+`, `<`… passed as functions.
        case operatorFunction(String)
    }

    let name: String
    let kind: Kind
    /// Other user functions of the same name with different argument labels.
    var alternatives: [FunctionValue] = []

    init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// The declared parameter names of a user function or closure (`{ completions, answer in … }`);
    /// nil for closures using `$0` and for native functions.
    var parameterNames: [String]? {
        switch kind {
        case .user(let decl, _), .boundMethod(let decl, _, _, _):
            return decl.implicitParameterCount > 0 ? nil : decl.parameters.map(\.name)
        default:
            return nil
        }
    }

    /// Whether this is a closure expression (`{ x in … }`) rather than a named function.
    var isClosure: Bool {
        if case .user(let decl, _) = kind { return decl.isClosure }
        return false
    }

    /// Parameter labels and doc for completion and inspection.
    var signature: String {
        switch kind {
        case .user(let decl, _), .boundMethod(let decl, _, _, _): return decl.signature
        case .native(let overloads, _): return overloads.map(\.signature).joined(separator: "\n")
        case .enumConstructor(let type, let name): return "\(type.name).\(name)"
        case .operatorFunction(let op): return "(\(op))"
        }
    }
}

/// A struct or enum declared by the user (enums have `cases`).
public final class UserType {
    struct StoredProperty {
        var name: String
        var isMutable: Bool
        var type: TypeAnnotation?
        var initial: Expr?
    }

    struct CaseInfo {
        var name: String
        var rawValue: Value?
        var associated: [(label: String?, type: TypeAnnotation)]?
    }

    public let name: String
    let isEnum: Bool
    /// Instances are `ClassInstance` references.
    var isClass = false
    var storedProperties: [StoredProperty] = []
    var fieldIndex: [String: Int] = [:]
    var computed: [String: (getter: FunctionDecl, setter: FunctionDecl?)] = [:]
    var methods: [String: FunctionDecl] = [:]
    var initializers: [FunctionDecl] = []
    var staticValues: [String: Value] = [:]
    var staticComputed: [String: FunctionDecl] = [:]
    var staticMethods: [String: FunctionDecl] = [:]
    var cases: [CaseInfo] = []
    var caseIndex: [String: Int] = [:]
    var conformances: [String] = []
    var doc: String?
    /// The frame the declaration ran in: methods capture it.
    var captured: Frame?

    init(name: String, isEnum: Bool) {
        self.name = name
        self.isEnum = isEnum
    }

    public var storedPropertyNames: [String] { storedProperties.map(\.name) }

    var memberNames: Set<String> {
        Set(storedPropertyNames).union(computed.keys).union(methods.keys)
    }
}

/// An instance of a user `class`: shared, mutated in place.
final class ClassInstance: NativeObject, CustomStringConvertible {
    let type: UserType
    var fields: [Value]

    init(type: UserType, fields: [Value]) {
        self.type = type
        self.fields = fields
    }

    var typeName: String { type.name }
    var description: String { "main." + type.name }
}

public typealias StructType = UserType
public typealias EnumType = UserType

/// How a statement finished.
enum Flow {
    case normal
    case breakLoop(String?)
    case continueLoop(String?)
    case returnValue(Value)
    case fallthroughCase
}

/// Unwinds an optional chain `a?.b` when a link is nil.
struct OptionalChainNil: Error {}
