import Foundation

/// Publishes IOPub messages from any thread. Messages queue (bounded, so a flood of output
/// slows the producer instead of exhausting memory) and a thread of their own signs and sends
/// them on the PUB socket with a `kernel.<session>.<type>` topic.
public final class IOPubPublisher: @unchecked Sendable {
    private let socket: ZMQSocket
    private let codec: WireCodec
    private let capacity: Int
    private let condition = NSCondition()
    private var queue: [Message] = []
    private var head = 0
    private var sending = false

    public init(socket: ZMQSocket, codec: WireCodec, capacity: Int = 1000) {
        self.socket = socket
        self.codec = codec
        self.capacity = capacity
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
            while queue.count == head { condition.wait() }
            let message = queue[head]
            head += 1
            if head > 256, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            sending = true
            condition.broadcast()
            condition.unlock()

            var topical = message
            topical.identities = [Array("kernel.\(message.header.string("session")).\(message.type)".utf8)]
            socket.send(codec.encode(topical))

            condition.lock()
            sending = false
            condition.broadcast()
            condition.unlock()
        }
    }
}
