import Foundation
import TextFormats

/// The shell ROUTER socket and the thread that executes its requests one at a time.
final class ShellChannel: @unchecked Sendable {
    private let socket: ZMQSocket
    private let codec: WireCodec
    private let kernel: KernelContext
    private let onShutdown: @Sendable (Message) -> Void

    init(socket: ZMQSocket, codec: WireCodec, kernel: KernelContext, onShutdown: @escaping @Sendable (Message) -> Void) {
        self.socket = socket
        self.codec = codec
        self.kernel = kernel
        self.onShutdown = onShutdown
    }

    /// Serves requests forever.
    func run() {
        while true {
            guard let request = receive(timeout: -1) else { continue }
            let queued = handle(request)
            abort(queued)
        }
    }

    private func receive(timeout: Int) -> Message? {
        guard let frames = socket.receive(timeout: timeout) else { return nil }
        do {
            return try codec.decode(frames)
        } catch {
            KernelLog.warning("shell: dropped a message: \(error)")
            return nil
        }
    }

    /// Handles one request inside busy/idle. When a cell fails with `stop_on_error`, returns the
    /// requests that were already waiting when it failed (taken before its reply is sent).
    private func handle(_ request: Message) -> [Message] {
        kernel.publishStatus("busy", for: request)
        defer {
            kernel.publisher.waitUntilSent()
            kernel.publishStatus("idle", for: request)
        }
        var reply: JSONValue?
        var waiting: [Message] = []
        switch request.type {
        case "execute_request":
            let outcome = ExecuteHandler.run(request, in: kernel)
            reply = outcome.reply
            if outcome.abortQueue {
                // Requests the client sent before this reply count as queued, even if still in
                // flight: wait briefly for them (the client cannot have reacted to a reply yet).
                var grace = 50
                while let next = receive(timeout: grace) {
                    waiting.append(next)
                    grace = 10
                }
            }
        case "kernel_info_request": reply = KernelInfo.reply()
        case "complete_request": reply = CompletionHandlers.complete(request, in: kernel)
        case "inspect_request": reply = CompletionHandlers.inspect(request, in: kernel)
        case "is_complete_request": reply = CompletionHandlers.isComplete(request, in: kernel)
        case "history_request": reply = HistoryHandler.reply(request, in: kernel)
        case "comm_info_request": reply = CommHandler.info(request)
        case "comm_open": CommHandler.open(request, in: kernel)
        case "comm_msg", "comm_close": break
        case "shutdown_request":
            send(ControlHandlers.shutdownReply(request), replying: request)
            onShutdown(request)
        default:
            reply = ControlHandlers.unknown(request)
        }
        if let reply { send(reply, replying: request) }
        return waiting
    }

    private func send(_ content: JSONValue, replying request: Message) {
        kernel.publisher.waitUntilSent()
        socket.send(codec.encode(kernel.factory.message(request.replyType, content: content, parent: request)))
    }

    /// After a failed cell with `stop_on_error`, answers the execute requests that were waiting
    /// with "aborted"; other requests are served normally.
    private func abort(_ waiting: [Message]) {
        for request in waiting {
            guard request.type == "execute_request" else {
                abort(handle(request))
                continue
            }
            kernel.publishStatus("busy", for: request)
            send(ExecuteHandler.aborted(in: kernel), replying: request)
            kernel.publishStatus("idle", for: request)
        }
    }
}
