import Foundation

/// Publishes IOPub messages from any thread. Messages queue (bounded, so a flood of output
/// slows the producer instead of exhausting memory) and a thread of their own signs and sends
/// them on the XPUB socket with a `kernel.<session>.<type>` topic. The same thread greets each
/// new subscription with `iopub_welcome` (protocol 5.5's XPUB handshake; older clients ignore it).
public final class IOPubPublisher: @unchecked Sendable {
    private let socket: ZMQSocket
    private let codec: WireCodec
    private let capacity: Int
    private let condition = NSCondition()
    private var queue: [Message] = []
    private var head = 0
    private var sending = false

    private let welcome: ((_ subscription: String) -> Message)?

    /// `welcome` builds the greeting for a new subscription; nil for a plain PUB socket.
    public init(socket: ZMQSocket, codec: WireCodec, capacity: Int = 1000, welcome: ((String) -> Message)? = nil) {
        self.socket = socket
        self.codec = codec
        self.capacity = capacity
        self.welcome = welcome
    }

    /// Queues `message`; blocks while the queue is full.
    public func publish(_ message: Message) {
        condition.lock()
        while queue.count - head >= capacity { condition.wait() }
        queue.append(message)
        condition.broadcast()
        condition.unlock()
    }

    /// Returns once every message queued so far has been handed to ZeroMQ.
    public func waitUntilSent() {
        condition.lock()
        while queue.count > head || sending { condition.wait() }
        condition.unlock()
    }

    /// Sends queued messages forever; call on the publisher's own thread.
    public func run() {
        while true {
            condition.lock()
            while queue.count == head {
                if welcome == nil {
                    condition.wait()
                } else if !condition.wait(until: Date(timeIntervalSinceNow: 0.02)) {
                    condition.unlock()
                    greetNewSubscribers()
                    condition.lock()
                }
            }
            let message = queue[head]
            head += 1
            if head > 256, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            sending = true
            condition.broadcast()
            condition.unlock()

            send(message)

            condition.lock()
            sending = false
            condition.broadcast()
            condition.unlock()
            greetNewSubscribers()
        }
    }

    /// Answers XPUB subscription frames (`\u{1}topic`) with `iopub_welcome`.
    private func greetNewSubscribers() {
        guard let welcome else { return }
        while let frames = socket.receive(timeout: 0) {
            guard let frame = frames.first, frame.first == 1 else { continue }
            let subscription = String(decoding: frame.dropFirst(), as: UTF8.self)
            send(welcome(subscription))
        }
    }

    private func send(_ message: Message) {
        var topical = message
        topical.identities = [Array("kernel.\(message.header.string("session")).\(message.type)".utf8)]
        socket.send(codec.encode(topical))
    }
}
