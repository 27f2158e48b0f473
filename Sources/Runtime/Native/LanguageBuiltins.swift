extension NativeRegistry {
    /// Built-ins that belong to the language rather than the library: type(of:), fatalError,
    /// precondition, assert.
    func registerLanguageBuiltins() {
        function("type", [.labeled("of")], returns: "Any.Type", doc: "The dynamic type of a value.") { call in
            let value = call["of"]
            switch value {
            case .instance(let s): return .type(.structure(s.type))
            case .enumCase(let e): return e.type.map { .type(.enumeration($0)) } ?? .type(.named(value.typeName))
            default: return .type(.named(value.genericTypeName))
            }
        }
        type("Optional", doc: "A value or nil.") { type in
            type.method("map", [.positional("transform", "(Wrapped) -> T")], returns: "T?",
                        doc: "nil stays nil; otherwise the transformed value, wrapped.") { call in
                guard let inner = call.receiver.unwrapped else { return .null }
                return .optional(try call.call(try call.function("transform"), [inner]))
            }
            type.method("flatMap", [.positional("transform", "(Wrapped) -> T?")], returns: "T?",
                        doc: "nil stays nil; otherwise the transform's optional result.") { call in
                guard let inner = call.receiver.unwrapped else { return .null }
                let result = try call.call(try call.function("transform"), [inner])
                if case .optional = result { return result }
                return .optional(result)
            }
        }
        function("fatalError", [.positional("message", "String", default: .string(""))], returns: "Never",
                 doc: "Stops the program with a message.") { call in
            let message = try call.string("message")
            throw RuntimeError(message.isEmpty ? "Fatal error" : "Fatal error: \(message)")
        }
        function("precondition", [.positional("condition", "Bool"), .positional("message", "String", default: .string(""))],
                 doc: "Stops the program when the condition is false.") { call in
            if try !call.bool("condition") {
                let message = try call.string("message")
                throw RuntimeError(message.isEmpty ? "Precondition failed" : "Precondition failed: \(message)")
            }
            return .void
        }
        function("assert", [.positional("condition", "Bool"), .positional("message", "String", default: .string(""))],
                 doc: "Stops the program when the condition is false.") { call in
            if try !call.bool("condition") {
                let message = try call.string("message")
                throw RuntimeError(message.isEmpty ? "Assertion failed" : "Assertion failed: \(message)")
            }
            return .void
        }
    }
}
