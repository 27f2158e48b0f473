import Foundation
import Runtime
import TextFormats

/// The kernel's `OutputSink`: cell output becomes IOPub messages parented to the request that
/// is running. Streams go through a `StreamCoalescer`; anything else flushes them first.
public final class KernelOutput: OutputSink, @unchecked Sendable {
    private let publisher: IOPubPublisher
    private let factory: MessageFactory
    private let lock = NSLock()
    private var parent: Message?
    private var muted = false
    /// Batches stream text; its timer must run on a thread of its own (`coalescer.runTimer()`).
    public private(set) var coalescer: StreamCoalescer!

    public init(publisher: IOPubPublisher, factory: MessageFactory) {
        self.publisher = publisher
        self.factory = factory
        coalescer = StreamCoalescer { [unowned self] stream, text in
            self.publish("stream", ["name": .string(stream), "text": .string(text)])
        }
    }

    /// Routes output to `request` from now on; `silent` drops all of it.
    public func begin(_ request: Message, silent: Bool) {
        coalescer.flush()
        lock.lock()
        parent = request
        muted = silent
        lock.unlock()
    }

    /// Sends buffered stream text.
    public func flush() { coalescer.flush() }

    public func write(_ text: String, to stream: OutputStreamName) {
        lock.lock()
        let isMuted = muted
        lock.unlock()
        guard !isMuted else { return }
        coalescer.write(text, to: stream.rawValue)
    }

    public func display(_ bundle: MIMEBundle, displayID: String?, update: Bool) {
        coalescer.flush()
        var content: JSONValue = ["data": bundle.jupyterData, "metadata": bundle.jupyterMetadata]
        if let displayID { content["transient"] = ["display_id": .string(displayID)] }
        if update {
            guard displayID != nil else { return }
            publish("update_display_data", content)
        } else {
            if displayID == nil { content["transient"] = [:] }
            publish("display_data", content)
        }
    }

    public func clearOutput(wait: Bool) {
        coalescer.flush()
        publish("clear_output", ["wait": .bool(wait)])
    }

    /// Publishes a message parented to the current request unless it is silent.
    func publish(_ type: String, _ content: JSONValue) {
        lock.lock()
        let parent = parent
        let isMuted = muted
        lock.unlock()
        guard !isMuted else { return }
        publisher.publish(factory.message(type, content: content, parent: parent))
    }
}
