import TextFormats

/// Comms: this kernel registers no comm targets, so it has none open and closes any that a
/// front end tries to open.
enum CommHandler {
    static func info(_ request: Message) -> JSONValue {
        ["status": "ok", "comms": [:]]
    }

    /// Answers a `comm_open` for an unknown target with `comm_close` on IOPub.
    static func open(_ request: Message, in kernel: KernelContext) {
        let id = request.content.string("comm_id")
        kernel.publish("comm_close", ["comm_id": .string(id), "data": [:]], for: request)
    }
}
