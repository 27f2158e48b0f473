import Foundation
import Runtime

/// The stdin ROUTER socket: sends `input_request` with the shell request's identities and waits
/// for the `input_reply`, giving up promptly when the cell is interrupted.
final class StdinChannel: @unchecked Sendable {
    private let socket: ZMQSocket
    private let codec: WireCodec

    init(socket: ZMQSocket, codec: WireCodec) {
        self.socket = socket
        self.codec = codec
    }

    /// Asks the front end of `request` for a line.
    func ask(prompt: String, password: Bool, request: Message, factory: MessageFactory, interrupted: () -> Bool) throws -> String {
        while socket.receive(timeout: 0) != nil {}  // stale replies from an interrupted earlier prompt
        let message = factory.message(
            "input_request", content: ["prompt": .string(prompt), "password": .bool(password)], parent: request)
        socket.send(codec.encode(message))
        while true {
            if interrupted() { throw InputUnavailable("input was interrupted") }
            guard let frames = socket.receive(timeout: 50) else { continue }
            do {
                let reply = try codec.decode(frames)
                guard reply.type == "input_reply" else { continue }
                return reply.content.string("value")
            } catch {
                KernelLog.warning("stdin: \(error)")
            }
        }
    }
}

/// The `InputProvider` for one execute request.
final class KernelInput: InputProvider {
    private let context: KernelContext
    private let request: Message
    private let allowed: Bool

    init(context: KernelContext, request: Message, allowed: Bool) {
        self.context = context
        self.request = request
        self.allowed = allowed
    }

    func readLine(prompt: String, password: Bool) throws -> String {
        guard allowed else {
            throw InputUnavailable(
                "readLine() needs input, but this front end does not allow stdin (allow_stdin is false); pass values as variables or parameters instead")
        }
        context.output.flush()
        context.publisher.waitUntilSent()
        let session = context.session
        return try context.stdin.ask(
            prompt: prompt, password: password, request: request, factory: context.factory,
            interrupted: { session.isInterruptRequested })
    }
}
