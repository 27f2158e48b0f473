/// Echoes heartbeat pings on a REP socket; runs on its own thread so a busy cell never delays it.
public struct Heartbeat: @unchecked Sendable {
    let socket: ZMQSocket

    public init(socket: ZMQSocket) { self.socket = socket }

    /// Echoes forever.
    public func run() {
        while true {
            guard let frames = socket.receive() else { continue }
            socket.send(frames)
        }
    }
}
