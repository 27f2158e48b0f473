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
