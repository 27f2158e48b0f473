/// readLine through the session's InputProvider.
extension StandardLibrary {
    static func registerInput(in registry: NativeRegistry) {
        registry.function("readLine", [.labeled("prompt", "String", default: .string("")),
                                       .labeled("password", "Bool", default: .bool(false))],
                          returns: "String?",
                          doc: "Asks the front end for a line of input (Jupyter shows an input box); `password: true` hides what is typed.") { call in
            try readLine(prompt: try call.string("prompt"), password: try call.bool("password"), call)
        }
        registry.function("readLine", [.labeled("strippingNewline", "Bool")], returns: "String?",
                          doc: "Reads a line of input (the line never includes its newline here).") { call in
            try readLine(prompt: "", password: false, call)
        }
    }

    private static func readLine(prompt: String, password: Bool, _ call: NativeCall) throws -> Value {
        guard let input = call.context.input else {
            throw call.error("this front end provides no input (run the cell in Jupyter or the REPL to use readLine)")
        }
        try call.context.checkInterrupt()
        let line = try input.readLine(prompt: prompt, password: password)
        try call.context.checkInterrupt()
        return .optional(.string(line))
    }
}
