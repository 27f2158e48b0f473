import Foundation
import Runtime
import Synchronization
import TextFormats

/// What every handler shares: the engine, the IOPub side and the message factory.
public final class KernelContext: @unchecked Sendable {
    public let session: Session
    public let factory: MessageFactory
    public let publisher: IOPubPublisher
    public let output: KernelOutput
    /// Asks the front end for input on the stdin channel; used by the shell thread only.
    let stdin: StdinChannel
    private let executing = Atomic<Bool>(false)

    init(session: Session, factory: MessageFactory, publisher: IOPubPublisher, output: KernelOutput, stdin: StdinChannel) {
        self.session = session
        self.factory = factory
        self.publisher = publisher
        self.output = output
        self.stdin = stdin
    }

    /// True while a cell runs.
    public var isExecuting: Bool { executing.load(ordering: .sequentiallyConsistent) }

    func setExecuting(_ value: Bool) { executing.store(value, ordering: .sequentiallyConsistent) }

    /// Interrupts the running cell; a no-op while idle, so no stale request hits the next cell.
    public func interrupt() {
        if isExecuting { session.interrupt() }
    }

    /// Publishes `status` (busy or idle) for `request`.
    func publishStatus(_ state: String, for request: Message) {
        publisher.publish(factory.message("status", content: ["execution_state": .string(state)], parent: request))
    }

    /// Publishes an IOPub message parented to `request`.
    func publish(_ type: String, _ content: JSONValue, for request: Message) {
        publisher.publish(factory.message(type, content: content, parent: request))
    }
}
