import Foundation
import TextFormats

/// The control ROUTER socket on its own thread: it answers kernel_info, interrupt and shutdown
/// even while a cell keeps the shell thread busy.
final class ControlChannel: @unchecked Sendable {
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

    func run() {
        while true {
            guard let frames = socket.receive() else { continue }
            let request: Message
            do { request = try codec.decode(frames) } catch {
                KernelLog.warning("control: dropped a message: \(error)")
                continue
            }
            kernel.publishStatus("busy", for: request)
            let reply: JSONValue
            switch request.type {
            case "kernel_info_request": reply = KernelInfo.reply()
            case "interrupt_request":
                kernel.interrupt()
                reply = ["status": "ok"]
            case "shutdown_request": reply = ControlHandlers.shutdownReply(request)
            default: reply = ControlHandlers.unknown(request)
            }
            socket.send(codec.encode(kernel.factory.message(request.replyType, content: reply, parent: request)))
            kernel.publishStatus("idle", for: request)
            if request.type == "shutdown_request" { onShutdown(request) }
        }
    }
}
