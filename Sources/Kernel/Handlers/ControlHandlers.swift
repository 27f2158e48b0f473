import TextFormats

/// Replies for shutdown and for requests this kernel does not know.
enum ControlHandlers {
    static func shutdownReply(_ request: Message) -> JSONValue {
        ["status": "ok", "restart": .bool(request.content.bool("restart", default: false))]
    }

    /// An error reply naming the unsupported type (busy/idle still surround it).
    static func unknown(_ request: Message) -> JSONValue {
        [
            "status": "error", "ename": "UnsupportedRequest",
            "evalue": .string("this kernel does not handle \(request.type) messages"), "traceback": [],
        ]
    }
}
