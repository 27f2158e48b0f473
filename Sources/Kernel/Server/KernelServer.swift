import CZeroMQ
import Foundation
import Runtime

/// The Jupyter kernel: binds the five sockets from a connection file and serves them with one
/// thread each (heartbeat, control, shell execution, IOPub publishing) plus the stream timer.
public final class KernelServer: @unchecked Sendable {
    public let connection: ConnectionInfo
    public let session: Session
    private let context: ZMQContext
    private let codec: WireCodec
    private let kernel: KernelContext
    private let shell: ZMQSocket
    private let control: ZMQSocket
    private let heartbeat: ZMQSocket
    private let publisher: IOPubPublisher

    /// Binds every socket. `makeSession` builds the engine around the kernel's output sink.
    public init(connection: ConnectionInfo, makeSession: (OutputSink) -> Session = { Session(output: $0) }) throws {
        self.connection = connection
        context = ZMQContext()
        codec = WireCodec(signer: MessageSigner(key: connection.key))
        shell = try ZMQSocket(context, .router)
        control = try ZMQSocket(context, .router)
        heartbeat = try ZMQSocket(context, .rep)
        let stdin = try ZMQSocket(context, .router)
        let iopub = try ZMQSocket(context, .xpub)
        iopub.setInt(ZMQ_SNDHWM, 10_000)
        iopub.setInt(ZMQ_XPUB_VERBOSE, 1)  // every subscriber's subscription, so each gets a welcome
        for (socket, channel) in [
            (shell, ConnectionInfo.Channel.shell), (control, .control), (heartbeat, .hb), (stdin, .stdin), (iopub, .iopub),
        ] {
            // With keys in the connection file (jupyter_client's transport_encryption), every
            // channel is encrypted; without them the sockets stay plain, as before.
            if let keys = connection.curveKeys { try socket.becomeCurveServer(secretKey: keys.secretKey) }
            try socket.bind(connection.endpoint(channel))
        }
        let factory = MessageFactory()
        let publisher = IOPubPublisher(socket: iopub, codec: codec) { subscription in
            factory.message("iopub_welcome", content: ["subscription": .string(subscription)], parent: nil)
        }
        self.publisher = publisher
        let output = KernelOutput(publisher: publisher, factory: factory)
        session = makeSession(output)
        kernel = KernelContext(
            session: session, factory: factory, publisher: publisher, output: output,
            stdin: StdinChannel(socket: stdin, codec: codec))
    }

    /// Serves until a shutdown request, then exits the process.
    public func run() -> Never {
        let kernel = kernel
        let exit: @Sendable (Message) -> Void = { _ in
            kernel.output.flush()
            kernel.publisher.waitUntilSent()
            usleep(100_000)  // let ZeroMQ's I/O thread put the last replies on the wire
            _exit(0)
        }
        SignalWatcher.watch(SIGINT) { kernel.interrupt() }
        start("iopub", publisher.run)
        start("heartbeat", Heartbeat(socket: heartbeat).run)
        start("stream-timer", kernel.output.coalescer.runTimer)
        start("control", ControlChannel(socket: control, codec: codec, kernel: kernel, onShutdown: exit).run)
        watchParentProcess()
        start("shell", ShellChannel(socket: shell, codec: codec, kernel: kernel, onShutdown: exit).run, stackMegabytes: 64)
        while true { pause() }
    }

    private func start(_ name: String, _ body: @escaping () -> Void, stackMegabytes: Int = 8) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = stackMegabytes << 20
        thread.start()
    }

    /// Exits when the Jupyter process that started us (JPY_PARENT_PID) is gone.
    private func watchParentProcess() {
        guard let text = ProcessInfo.processInfo.environment["JPY_PARENT_PID"], let pid = Int32(text), pid > 1 else { return }
        start("parent-watch") {
            while true {
                sleep(1)
                if kill(pid, 0) != 0 && errno == ESRCH { _exit(0) }
            }
        }
    }
}
