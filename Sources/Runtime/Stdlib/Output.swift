/// print, debugPrint, printError, display and clearOutput: everything a cell writes.
extension StandardLibrary {
    static func registerOutput(in registry: NativeRegistry) {
        let printParameters: [NativeParameter] = [
            .variadic("items"),
            .labeled("separator", "String", default: .string(" ")),
            .labeled("terminator", "String", default: .string("\n")),
        ]
        registry.function("print", printParameters,
                          doc: "Writes the items' descriptions, separated by `separator` and ended by `terminator`, to standard output.") { call in
            try write(call, to: .stdout, describe: call.context.describe)
        }
        registry.function("debugPrint", printParameters,
                          doc: "Writes the items' debug descriptions (strings quoted) to standard output.") { call in
            try write(call, to: .stdout, describe: call.context.debugDescribe)
        }
        registry.function("printError", printParameters,
                          doc: "Writes the items' descriptions to standard error (shown in red in Jupyter).") { call in
            try write(call, to: .stderr, describe: call.context.describe)
        }
        registerDisplay(in: registry)
        registry.function("clearOutput", [.labeled("wait", "Bool", default: .bool(false))],
                          doc: "Clears the cell's output; with `wait: true` the clearing happens when new output arrives.") { call in
            call.context.output.clearOutput(wait: try call.bool("wait"))
            return .void
        }
    }

    private static func write(_ call: NativeCall, to stream: OutputStreamName, describe: (Value) -> String) throws -> Value {
        let text = try call.array("items").map(describe).joined(separator: try call.string("separator"))
            + (try call.string("terminator"))
        call.context.output.write(text, to: stream)
        return .void
    }

    /// The rich forms `display` accepts by label, with their MIME types.
    private static let richForms: [(label: String, mime: String, what: String)] = [
        ("html", "text/html", "HTML"),
        ("markdown", "text/markdown", "Markdown"),
        ("svg", "image/svg+xml", "an SVG image"),
        ("json", "application/json", "JSON text"),
        ("png", "image/png", "a base64-encoded PNG image"),
    ]

    private static func registerDisplay(in registry: NativeRegistry) {
        registry.function("display", [.positional("value")],
                          doc: "Shows a value as rich output (text/plain is its description; native values may add HTML or SVG).") { call in
            call.context.output.display(bundle(for: call["value"], call), displayID: nil, update: false)
            return .void
        }
        registry.function("display", [.positional("value"), .labeled("id", "String")], returns: "DisplayHandle",
                          doc: "Shows a value and returns a handle whose update(_:) replaces this output in place.") { call in
            let id = try call.string("id")
            call.context.output.display(bundle(for: call["value"], call), displayID: id, update: false)
            return .object(DisplayHandle(id: id))
        }
        for form in richForms {
            registry.function("display", [.labeled(form.label, "String")],
                              doc: "Shows \(form.what) as rich output.") { call in
                call.context.output.display(try richBundle(form.label, form.mime, call), displayID: nil, update: false)
                return .void
            }
            registry.function("display", [.labeled(form.label, "String"), .labeled("id", "String")], returns: "DisplayHandle",
                              doc: "Shows \(form.what) and returns a handle that can update it in place.") { call in
                let id = try call.string("id")
                call.context.output.display(try richBundle(form.label, form.mime, call), displayID: id, update: false)
                return .object(DisplayHandle(id: id))
            }
        }

        registry.type("DisplayHandle", doc: "An output shown by display(_:id:) that can be replaced in place (progress bars, live plots).") { type in
            type.property("id", "String", doc: "The display id shared by the output and its updates.") { receiver in
                .string(try handle(receiver).id)
            }
            type.method("update", [.positional("value")],
                        doc: "Replaces the displayed output with this value.") { call in
                let handle = try call.receiver(as: DisplayHandle.self)
                call.context.output.display(bundle(for: call["value"], call), displayID: handle.id, update: true)
                return .void
            }
            for form in richForms {
                type.method("update", [.labeled(form.label, "String")],
                            doc: "Replaces the displayed output with \(form.what).") { call in
                    let handle = try call.receiver(as: DisplayHandle.self)
                    call.context.output.display(try richBundle(form.label, form.mime, call), displayID: handle.id, update: true)
                    return .void
                }
            }
        }
    }

    /// A value's MIME bundle with its `print` form (not the quoted debug form) as text/plain.
    private static func bundle(for value: Value, _ call: NativeCall) -> MIMEBundle {
        var bundle = call.context.mimeBundle(for: value)
        bundle.data["text/plain"] = call.context.describe(value)
        return bundle
    }

    private static func richBundle(_ label: String, _ mime: String, _ call: NativeCall) throws -> MIMEBundle {
        let content = try call.string(label)
        let plain = mime == "text/markdown" ? content : "<\(label) output>"
        return MIMEBundle(data: ["text/plain": plain, mime: content])
    }

    private static func handle(_ value: Value) throws -> DisplayHandle {
        guard case .object(let object) = value, let handle = object as? DisplayHandle else {
            throw RuntimeError("expected a DisplayHandle, got \(value.typeName)", kind: .typeMismatch)
        }
        return handle
    }
}

/// What `display(_:id:)` returns: updates go to whatever sink the session has at the time.
public final class DisplayHandle: NativeObject, CustomStringConvertible {
    public let id: String
    public init(id: String) { self.id = id }
    public var typeName: String { "DisplayHandle" }
    public var description: String { "DisplayHandle(id: \(id.debugDescription))" }
}
