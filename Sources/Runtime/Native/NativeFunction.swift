import TextFormats

/// One parameter of a native function or method.
public struct NativeParameter {
    /// The argument label at the call site; nil for `_`.
    public var label: String?
    /// The name inside the function, used by `NativeCall` accessors and shown in signatures.
    public var name: String
    /// The type shown in signatures and completions (not enforced; accessors check).
    public var type: String
    public var defaultValue: Value?
    public var isVariadic: Bool

    public init(label: String?, name: String, type: String, defaultValue: Value? = nil, isVariadic: Bool = false) {
        self.label = label
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.isVariadic = isVariadic
    }

    /// An unlabelled parameter: `_ name: Type`.
    public static func positional(_ name: String, _ type: String = "Any", default value: Value? = nil) -> NativeParameter {
        NativeParameter(label: nil, name: name, type: type, defaultValue: value)
    }

    /// A labelled parameter whose label is its name: `name: Type`.
    public static func labeled(_ label: String, _ type: String = "Any", default value: Value? = nil) -> NativeParameter {
        NativeParameter(label: label, name: label, type: type, defaultValue: value)
    }

    /// `_ name: Type...`: zero or more unlabelled arguments, received as one `.array`.
    public static func variadic(_ name: String, _ type: String = "Any") -> NativeParameter {
        NativeParameter(label: nil, name: name, type: type, isVariadic: true)
    }

    var signature: String {
        let head = label == name ? name : "\(label ?? "_") \(name)"
        return "\(head): \(type)\(isVariadic ? "..." : "")" + (defaultValue.map { " = \(Formatter.debugDescription(of: $0))" } ?? "")
    }
}

/// A function, method or initializer implemented in Swift (a class: calls pass it around often).
public final class NativeFunction {
    public enum Body {
        /// Reads its receiver (if any) from `call.receiver`.
        case plain((NativeCall) throws -> Value)
        /// A `mutating` method: changes the receiver in place.
        case mutating((inout Value, NativeCall) throws -> Value)
    }

    public var name: String
    public var parameters: [NativeParameter]
    public var returnType: String
    public var doc: String
    public var body: Body

    public init(name: String, parameters: [NativeParameter], returnType: String, doc: String, body: Body) {
        self.name = name
        self.parameters = parameters
        self.returnType = returnType
        self.doc = doc
        self.body = body
    }

    /// `name(_ x: Int, label y: String = "") -> Bool`.
    public var signature: String {
        let result = returnType == "Void" ? "" : " -> \(returnType)"
        return "\(name)(" + parameters.map(\.signature).joined(separator: ", ") + ")" + result
    }

    /// The argument labels as Swift writes a function's name: `min(_:_:)`.
    public var selector: String {
        "\(name)(" + parameters.map { "\($0.label ?? "_"):" }.joined() + ")"
    }
}

/// Matches call-site arguments to parameters by label, filling defaults and collecting variadics.
///
/// Labelled arguments may come in any order (a call that sets a few of many defaulted settings
/// should not have to remember the declaration order); unlabelled arguments fill the unlabelled
/// parameters from left to right. A call that fits in declaration order binds that way first.
enum ArgumentBinder {
    /// The bound values, one per parameter; nil when the labels or count do not fit.
    static func bind(_ arguments: [(label: String?, value: Value)], to parameters: [NativeParameter]) -> [Value]? {
        inOrder(arguments, parameters) ?? byLabel(arguments, parameters)
    }

    /// Swift's own rule: arguments in declaration order, defaulted parameters may be skipped.
    private static func inOrder(_ arguments: [(label: String?, value: Value)], _ parameters: [NativeParameter]) -> [Value]? {
        var bound: [Value] = []
        bound.reserveCapacity(parameters.count)
        var next = 0
        for parameter in parameters {
            if parameter.isVariadic {
                var items: [Value] = []
                if next < arguments.count, arguments[next].label == parameter.label {
                    items.append(arguments[next].value)
                    next += 1
                    while next < arguments.count, arguments[next].label == nil {
                        items.append(arguments[next].value)
                        next += 1
                    }
                }
                bound.append(.array(items))
            } else if next < arguments.count, arguments[next].label == parameter.label {
                bound.append(arguments[next].value)
                next += 1
            } else if let value = parameter.defaultValue {
                bound.append(value)
            } else {
                return nil
            }
        }
        return next == arguments.count ? bound : nil
    }

    /// Labelled arguments matched to parameters by label wherever they appear; unlabelled ones to
    /// unlabelled parameters in order. Functions with variadic parameters keep the ordered rule.
    private static func byLabel(_ arguments: [(label: String?, value: Value)], _ parameters: [NativeParameter]) -> [Value]? {
        guard !parameters.contains(where: \.isVariadic) else { return nil }
        var bound = [Value?](repeating: nil, count: parameters.count)
        var nextUnlabelled = 0
        for argument in arguments {
            let index: Int?
            if let label = argument.label {
                index = parameters.indices.first { parameters[$0].label == label && bound[$0] == nil }
            } else {
                while nextUnlabelled < parameters.count, parameters[nextUnlabelled].label != nil { nextUnlabelled += 1 }
                index = nextUnlabelled < parameters.count ? nextUnlabelled : nil
                nextUnlabelled += 1
            }
            guard let index else { return nil }
            bound[index] = argument.value
        }
        var values: [Value] = []
        values.reserveCapacity(parameters.count)
        for (parameter, value) in zip(parameters, bound) {
            guard let value = value ?? parameter.defaultValue else { return nil }
            values.append(value)
        }
        return values
    }

    /// "(x:y:)" for the labels actually used at a call site.
    static func labels(of arguments: [(label: String?, value: Value)]) -> String {
        "(" + arguments.map { "\($0.label ?? "_"):" }.joined() + ")"
    }

    /// " (no parameter 'betaa'; did you mean 'beta'?)" for labels no overload declares; "" when
    /// every label is known.
    static func unknownLabelHint(_ arguments: [(label: String?, value: Value)], overloads: [NativeFunction]) -> String {
        let known = Set(overloads.flatMap { $0.parameters.compactMap(\.label) })
        let unknown = arguments.compactMap(\.label).filter { !known.contains($0) }
        guard !unknown.isEmpty else { return "" }
        let parts = unknown.map { label in
            "no parameter '\(label)'" + (NameSuggestion.closest(to: label, among: Array(known)).map { "; did you mean '\($0)'?" } ?? "")
        }
        return " (" + parts.joined(separator: "; ") + ")"
    }
}
