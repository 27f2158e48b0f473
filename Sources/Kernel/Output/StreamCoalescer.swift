import Foundation

/// Batches stream text into few messages without delaying it noticeably: completed lines go out
/// at once (at most one message per `lineInterval`), anything buffered goes out within
/// `maximumDelay`, and the buffer is sent whenever it reaches `maximumBytes`. Text is kept as
/// whole Unicode scalars, so a UTF-8 sequence is never split. Thread-safe.
public final class StreamCoalescer: @unchecked Sendable {
    /// Stream names as Jupyter spells them ("stdout", "stderr").
    public typealias Emit = (_ stream: String, _ text: String) -> Void

    public let maximumBytes: Int
    public let maximumDelay: Double
    public let lineInterval: Double

    private let emit: Emit
    private let condition = NSCondition()
    private var stream = "stdout"
    private var buffer = ""
    private var bufferedBytes = 0
    private var deadline: Double?
    private var lastEmit = -Double.infinity
    private var stopped = false

    public init(maximumBytes: Int = 8192, maximumDelay: Double = 0.1, lineInterval: Double = 0.005, emit: @escaping Emit) {
        self.maximumBytes = maximumBytes
        self.maximumDelay = maximumDelay
        self.lineInterval = lineInterval
        self.emit = emit
    }

    /// A monotonic clock in seconds.
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Adds text to `stream`; text already buffered for the other stream is sent first.
    public func write(_ text: String, to stream: String, now: Double = StreamCoalescer.now()) {
        guard !text.isEmpty else { return }
        condition.lock()
        defer { condition.unlock() }
        if stream != self.stream {
            sendAll(now: now)
            self.stream = stream
        }
        buffer += text
        bufferedBytes += text.utf8.count
        if bufferedBytes >= maximumBytes {
            sendAll(now: now)
        } else if text.contains("\n") {
            if now - lastEmit >= lineInterval {
                sendCompleteLines(now: now)
            } else {
                schedule(lastEmit + lineInterval)
            }
        }
        if !buffer.isEmpty { schedule(now + maximumDelay) }
    }

    /// Sends everything buffered now (before other output, at the end of a cell).
    public func flush(now: Double = StreamCoalescer.now()) {
        condition.lock()
        sendAll(now: now)
        condition.unlock()
    }

    /// Sends the buffer if its deadline has passed; returns the next deadline, if any.
    @discardableResult
    public func flushIfDue(now: Double = StreamCoalescer.now()) -> Double? {
        condition.lock()
        defer { condition.unlock() }
        if let deadline, now >= deadline { sendAll(now: now) }
        return deadline
    }

    /// Runs the timer that honours deadlines until `stop()`; call it on a thread of its own.
    public func runTimer() {
        condition.lock()
        while !stopped {
            if let deadline {
                let wait = deadline - Self.now()
                if wait <= 0 {
                    sendAll(now: Self.now())
                } else {
                    _ = condition.wait(until: Date(timeIntervalSinceNow: wait))
                }
            } else {
                condition.wait()
            }
        }
        condition.unlock()
    }

    /// Ends `runTimer()`.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func schedule(_ time: Double) {
        if let current = deadline, current <= time { return }
        deadline = time
        condition.broadcast()
    }

    private func sendAll(now: Double) {
        deadline = nil
        guard !buffer.isEmpty else { return }
        let text = buffer
        buffer = ""
        bufferedBytes = 0
        lastEmit = now
        emit(stream, text)
    }

    private func sendCompleteLines(now: Double) {
        guard let lastNewline = buffer.unicodeScalars.lastIndex(of: "\n") else { return }
        let cut = buffer.unicodeScalars.index(after: lastNewline)
        let text = String(buffer.unicodeScalars[..<cut])
        buffer = String(buffer.unicodeScalars[cut...])
        bufferedBytes = buffer.utf8.count
        deadline = nil
        lastEmit = now
        emit(stream, text)
    }
}
