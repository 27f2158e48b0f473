/// What a native body receives: the bound arguments (one per declared parameter, defaults filled
/// in, a variadic parameter as one `.array`), the receiver for methods, and the session context.
///
/// Accessors take the parameter's name (`try call.string("separator")`) or its position, check the
/// type, and throw a `RuntimeError` naming the function when it does not fit.
public struct NativeCall {
    public let function: NativeFunction
    public let arguments: [Value]
    /// The value a method was called on (`.void` for free functions and static members).
    public let receiver: Value
    public let context: NativeContext

    public init(function: NativeFunction, arguments: [Value], receiver: Value = .void, context: NativeContext) {
        self.function = function
        self.arguments = arguments
        self.receiver = receiver
        self.context = context
    }

    // MARK: Raw access

    /// The argument bound to the parameter called `name`.
    public subscript(name: String) -> Value {
        guard let i = function.parameters.firstIndex(where: { $0.name == name }) else { return .void }
        return arguments[i]
    }

    public subscript(position: Int) -> Value { arguments[position] }

    // MARK: Typed access

    public func int(_ name: String) throws -> Int { try Convert.int(self[name], or: mismatch(name, "Int")) }
    public func int(_ position: Int) throws -> Int { try Convert.int(self[position], or: mismatch(position, "Int")) }
    /// Accepts Ints too (integer literals adapt to Double in Swift).
    public func double(_ name: String) throws -> Double { try Convert.double(self[name], or: mismatch(name, "Double")) }
    public func double(_ position: Int) throws -> Double { try Convert.double(self[position], or: mismatch(position, "Double")) }
    public func bool(_ name: String) throws -> Bool { try Convert.bool(self[name], or: mismatch(name, "Bool")) }
    public func bool(_ position: Int) throws -> Bool { try Convert.bool(self[position], or: mismatch(position, "Bool")) }
    public func string(_ name: String) throws -> String { try Convert.string(self[name], or: mismatch(name, "String")) }
    public func string(_ position: Int) throws -> String { try Convert.string(self[position], or: mismatch(position, "String")) }
    public func array(_ name: String) throws -> [Value] { try Convert.array(self[name], or: mismatch(name, "Array")) }
    public func array(_ position: Int) throws -> [Value] { try Convert.array(self[position], or: mismatch(position, "Array")) }
    public func dictionary(_ name: String) throws -> DictionaryValue { try Convert.dictionary(self[name], or: mismatch(name, "Dictionary")) }
    /// A function or closure value, ready for `call(_:_:)`.
    public func function(_ name: String) throws -> Value { try Convert.function(self[name], or: mismatch(name, "a function")) }
    public func function(_ position: Int) throws -> Value { try Convert.function(self[position], or: mismatch(position, "a function")) }
    /// nil when the argument is `nil`.
    public func optional(_ name: String) -> Value? { self[name].unwrapped }
    /// The native object of type `T` passed as `name`.
    public func object<T: AnyObject>(_ name: String, as type: T.Type) throws -> T {
        guard case .object(let object) = self[name].unwrapped ?? .void, let typed = object as? T else {
            throw mismatch(name, String(describing: T.self))
        }
        return typed
    }
    /// The name of an implicit member argument such as `.whitespacesAndNewlines`.
    public func symbol(_ name: String) throws -> String {
        guard case .enumCase(let member) = self[name] else { throw mismatch(name, "a member like .name") }
        return member.name
    }

    /// The receiver as a native object of type `T` (for methods of native types).
    public func receiver<T: AnyObject>(as type: T.Type) throws -> T {
        guard case .object(let object) = receiver, let typed = object as? T else {
            throw RuntimeError("\(function.name) expects a \(T.self) receiver, got \(receiver.typeName)", kind: .typeMismatch)
        }
        return typed
    }

    // MARK: Calling back into the language

    /// Calls a closure or function value with positional arguments (map, filter, sorted(by:)).
    public func call(_ function: Value, _ arguments: [Value]) throws -> Value {
        try context.call(function, arguments)
    }

    /// Calls a closure whose parameters are `inout` (`reduce(into:)`): `arguments` receives the
    /// parameters' final values.
    public func call(_ function: Value, updating arguments: inout [Value]) throws -> Value {
        try context.call(function, updating: &arguments)
    }

    /// A runtime error about this call, to `throw`.
    public func error(_ message: String, kind: RuntimeErrorKind = .invalidOperation) -> RuntimeError {
        RuntimeError("\(function.name): \(message)", kind: kind)
    }

    private func mismatch(_ name: String, _ expected: String) -> RuntimeError {
        RuntimeError("\(function.name): argument '\(name)' must be \(expected), got \(self[name].typeName)", kind: .typeMismatch)
    }

    private func mismatch(_ position: Int, _ expected: String) -> RuntimeError {
        mismatch(function.parameters[position].name, expected)
    }
}

/// Conversions from language values to Swift values; each throws the given error on a mismatch.
public enum Convert {
    public static func int(_ value: Value, or error: @autoclosure () -> Error) throws -> Int {
        if case .int(let i) = value { return i }
        throw error()
    }

    public static func double(_ value: Value, or error: @autoclosure () -> Error) throws -> Double {
        switch value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw error()
        }
    }

    public static func bool(_ value: Value, or error: @autoclosure () -> Error) throws -> Bool {
        if case .bool(let b) = value { return b }
        throw error()
    }

    public static func string(_ value: Value, or error: @autoclosure () -> Error) throws -> String {
        if case .string(let s) = value { return s }
        throw error()
    }

    public static func array(_ value: Value, or error: @autoclosure () -> Error) throws -> [Value] {
        if case .array(let a) = value { return a }
        throw error()
    }

    public static func dictionary(_ value: Value, or error: @autoclosure () -> Error) throws -> DictionaryValue {
        if case .dictionary(let d) = value { return d }
        throw error()
    }

    public static func function(_ value: Value, or error: @autoclosure () -> Error) throws -> Value {
        switch value {
        case .function, .type: return value
        default: throw error()
        }
    }
}

/// The running session as natives see it: output, input, interrupts, and calling closures.
public final class NativeContext {
    /// Where `print`, `display` and friends write. Swapped by the session per request.
    public var output: OutputSink
    /// Supplies `readLine`; nil when the front end has none.
    public var input: InputProvider?
    /// Long native work polls this (`try context.checkInterrupt()`) to stay interruptible.
    public let interrupt: InterruptFlag
    /// The native registry of this session.
    public let registry: NativeRegistry
    var invoke: (Value, [Value]) throws -> Value = { _, _ in throw RuntimeError("no interpreter is attached") }
    /// User types' own `description` (CustomStringConvertible), installed by the interpreter.
    public internal(set) var customDescription: Formatter.CustomDescription?
    var invokeInout: (Value, inout [Value]) throws -> Value = { _, _ in throw RuntimeError("no interpreter is attached") }
    private var displayCounter = 0

    public init(output: OutputSink, input: InputProvider?, interrupt: InterruptFlag, registry: NativeRegistry) {
        self.output = output
        self.input = input
        self.interrupt = interrupt
        self.registry = registry
    }

    /// Throws the catchable interrupt error if an interrupt was requested.
    public func checkInterrupt() throws { try interrupt.check() }

    /// Calls a closure or function value with positional arguments.
    public func call(_ function: Value, _ arguments: [Value]) throws -> Value {
        try invoke(function, arguments)
    }

    /// Calls a closure and copies its parameters' final values back into `arguments`.
    public func call(_ function: Value, updating arguments: inout [Value]) throws -> Value {
        try invokeInout(function, &arguments)
    }

    /// `print`'s form of a value (Swift's description).
    public func describe(_ value: Value) -> String { Formatter.description(of: value, custom: customDescription) }

    /// The REPL's form of a value (Swift's debugDescription).
    public func debugDescribe(_ value: Value) -> String { Formatter.debugDescription(of: value, custom: customDescription) }

    /// The MIME bundle for a value (text/plain plus whatever a native object adds).
    public func mimeBundle(for value: Value) -> MIMEBundle { Formatter.mimeBundle(for: value, custom: customDescription) }

    /// A fresh id for a display that will be updated in place.
    public func newDisplayID() -> String {
        displayCounter += 1
        return "display-\(ObjectIdentifier(self).hashValue & 0xffffff)-\(displayCounter)"
    }
}
