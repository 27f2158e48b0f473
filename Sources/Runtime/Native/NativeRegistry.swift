// The native registry: how Swift functions and types become visible to the cell language.
//
// Everything a cell can call that is not written in the cell language is declared here, once per
// member, with its parameters, return type and a doc string (the doc is what `inspect` shows and
// completion lists). The interpreter never grows a switch per built-in.
//
// A global function (labels, defaults, variadics):
//
//     registry.function("print", [.variadic("items"),
//                                 .labeled("separator", "String", default: .string(" ")),
//                                 .labeled("terminator", "String", default: .string("\n"))],
//                       doc: "Writes the items' descriptions to standard output.") { call in
//         let text = try call.array("items").map(call.context.describe)
//             .joined(separator: try call.string("separator")) + (try call.string("terminator"))
//         call.context.output.write(text, to: .stdout)
//         return .void
//     }
//
// Declaring a function twice with different labels makes overloads (`display(_:)` and
// `display(html:)`); the first whose labels fit the call wins. Parameters: `.positional(name, type)`
// is `_ name: Type`, `.labeled(label, type)` is `label: Type`, `.variadic(name)` collects the
// remaining unlabelled arguments into one `.array`; `default:` makes an argument optional; use
// `NativeParameter(label:name:type:defaultValue:)` when label and name differ.
//
// A type (built-in value types such as "String", "Array", "Dictionary", "Int", "Double", "Range",
// "ClosedRange", "Optional", or a native class such as "Model"):
//
//     registry.type("String", doc: "A Unicode string.") { type in
//         type.initializer([.positional("value")], doc: "String(x): the description of x.") { call in
//             .string(call.context.describe(call["value"]))
//         }
//         type.property("count", "Int", doc: "The number of characters.") { receiver in
//             .int(try Convert.string(receiver, or: RuntimeError("not a string")).count)
//         }
//         type.method("hasPrefix", [.positional("prefix", "String")], returns: "Bool", doc: "…") { call in
//             .bool(try Convert.string(call.receiver, or: call.error("bad receiver")).hasPrefix(try call.string("prefix")))
//         }
//         type.mutatingMethod("append", [.positional("other", "String")], doc: "…") { receiver, call in
//             receiver = .string(try Convert.string(receiver, or: call.error("bad receiver")) + (try call.string("other")))
//             return .void
//         }
//         type.staticProperty("max", "Int", doc: "…") { .int(Int.max) }          // Int.max
//         type.staticMethod("random", [.labeled("in", "Range")], returns: "Int", doc: "…") { call in … }
//     }
//
// Calling `type(...)` again for the same name adds members to it. Members of values are looked up
// by `Value.memberTypeName` ("Array" for every array, "Range"/"ClosedRange", "Optional", a struct's
// or native object's own name).
//
// Values ↔ Swift: `Value` is a plain enum (`.int`, `.double`, `.string`, `.array([Value])`,
// `.dictionary(DictionaryValue)`, `.tuple(TupleValue)`, `.optional(Value?)` with `Value.null` for
// nil, `.object(NativeObject)`, ...). In a body use the typed accessors of `NativeCall`
// (`try call.int("n")`, `call.double(0)`, `call.string`, `call.array`, `call.dictionary`,
// `call.optional`, `call.object(_:as:)`, `call.symbol` for `.whitespaces`-style arguments) or
// `Convert.int(value, or: error)` and friends for receivers and nested values. Return a `Value`
// (`.void` for nothing, `.optional(x)` / `Value.null` for an Optional result).
//
// Errors: `throw call.error("message")` (or any `RuntimeError`) is a trap with the call's source
// position, like an index out of range in Swift. Any other Swift `Error` thrown by a body is a
// catchable error in the language (`do { try Model.load(…) } catch { print(error) }`).
//
// Closures: `try call.call(closureValue, [arg1, arg2])` (or `call.context.call`) runs a function
// value passed in by the cell — what map, filter, reduce and sorted(by:) need. Check the value with
// `try call.function("transform")` first for a clear error.
//
// Session: `call.context.output` is the OutputSink (write/display/clearOutput),
// `call.context.input` the optional InputProvider, `call.context.interrupt` / `checkInterrupt()`
// the interrupt flag for long native work, `describe` / `debugDescribe` Swift's print and REPL
// forms, `newDisplayID()` an id for displays updated in place.

/// The functions and types implemented in Swift that the cell language can call.
public final class NativeRegistry {
    /// Global functions by name; several entries are overloads told apart by labels.
    public private(set) var functions: [String: [NativeFunction]] = [:]
    /// Types by name.
    public private(set) var types: [String: NativeType] = [:]
    /// Global constants (`Double.pi` lives on its type; these are bare names).
    public private(set) var constants: [String: (value: Value, doc: String)] = [:]

    public init() {}

    /// The language built-ins, the standard library and the prelude (models, datasets, rewards):
    /// what every session starts with.
    public static func standard() -> NativeRegistry {
        let registry = NativeRegistry()
        registry.registerLanguageBuiltins()
        StandardLibrary.register(in: registry)
        Prelude.register(in: registry)
        return registry
    }

    /// Declares a global function (or another overload of one).
    public func function(_ name: String, _ parameters: [NativeParameter] = [], returns returnType: String = "Void",
                         doc: String, _ body: @escaping (NativeCall) throws -> Value) {
        functions[name, default: []].append(
            NativeFunction(name: name, parameters: parameters, returnType: returnType, doc: doc, body: .plain(body)))
    }

    /// Declares a global constant.
    public func constant(_ name: String, _ value: Value, doc: String) {
        constants[name] = (value, doc)
    }

    /// Declares a type or adds members to it.
    public func type(_ name: String, doc: String = "", _ declare: (NativeType) -> Void) {
        let type = types[name] ?? NativeType(name: name, doc: doc)
        if type.doc.isEmpty { type.doc = doc }
        types[name] = type
        declare(type)
    }

    /// Whether `name` is a global function, type or constant here.
    public func contains(_ name: String) -> Bool {
        functions[name] != nil || types[name] != nil || constants[name] != nil
    }
}

/// The members of one native type, declared in one place.
public final class NativeType {
    public struct Property {
        public var name: String
        public var type: String
        public var doc: String
        public var get: (Value) throws -> Value
        public var set: ((inout Value, Value) throws -> Void)?
    }

    public let name: String
    public var doc: String
    public private(set) var initializers: [NativeFunction] = []
    public private(set) var methods: [String: [NativeFunction]] = [:]
    public private(set) var properties: [String: Property] = [:]
    public private(set) var staticMethods: [String: [NativeFunction]] = [:]
    public private(set) var staticProperties: [String: (type: String, doc: String, get: () throws -> Value)] = [:]

    init(name: String, doc: String) {
        self.name = name
        self.doc = doc
    }

    /// `TypeName(…)`.
    public func initializer(_ parameters: [NativeParameter], doc: String, _ body: @escaping (NativeCall) throws -> Value) {
        initializers.append(NativeFunction(name: name, parameters: parameters, returnType: name, doc: doc, body: .plain(body)))
    }

    /// `value.name(…)`; the receiver is `call.receiver`.
    public func method(_ name: String, _ parameters: [NativeParameter] = [], returns returnType: String = "Void",
                       doc: String, _ body: @escaping (NativeCall) throws -> Value) {
        methods[name, default: []].append(
            NativeFunction(name: name, parameters: parameters, returnType: returnType, doc: doc, body: .plain(body)))
    }

    /// `value.name(…)` that changes `value` (on a variable, property or element).
    public func mutatingMethod(_ name: String, _ parameters: [NativeParameter] = [], returns returnType: String = "Void",
                               doc: String, _ body: @escaping (inout Value, NativeCall) throws -> Value) {
        methods[name, default: []].append(
            NativeFunction(name: name, parameters: parameters, returnType: returnType, doc: doc, body: .mutating(body)))
    }

    /// `value.name`; pass `set` to make it assignable.
    public func property(_ name: String, _ type: String, doc: String, set: ((inout Value, Value) throws -> Void)? = nil,
                         _ get: @escaping (Value) throws -> Value) {
        properties[name] = Property(name: name, type: type, doc: doc, get: get, set: set)
    }

    /// `object.name` for a native class `T`: `get` receives the object itself.
    public func property<T: NativeObject>(_ name: String, _ type: String, of objectType: T.Type, doc: String,
                                          _ get: @escaping (T) throws -> Value) {
        property(name, type, doc: doc) { receiver in
            guard case .object(let object as T) = receiver else {
                throw RuntimeError("\(name) is a property of \(self.name), not of \(receiver.typeName)", kind: .typeMismatch)
            }
            return try get(object)
        }
    }

    /// `TypeName.name(…)`.
    public func staticMethod(_ name: String, _ parameters: [NativeParameter] = [], returns returnType: String = "Void",
                             doc: String, _ body: @escaping (NativeCall) throws -> Value) {
        staticMethods[name, default: []].append(
            NativeFunction(name: "\(self.name).\(name)", parameters: parameters, returnType: returnType, doc: doc, body: .plain(body)))
    }

    /// `TypeName.name`.
    public func staticProperty(_ name: String, _ type: String, doc: String, _ get: @escaping () throws -> Value) {
        staticProperties[name] = (type, doc, get)
    }

    /// Every member name, for completion.
    var memberNames: [(name: String, kind: String)] {
        properties.keys.map { ($0, "property") } + methods.keys.map { ($0, "method") }
    }
}
