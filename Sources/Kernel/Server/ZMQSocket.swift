import CZeroMQ
import Foundation

/// A ZeroMQ failure, with the library's own explanation.
public struct ZMQError: Error, CustomStringConvertible {
    public var operation: String
    public var code: Int32
    public var description: String {
        "ZeroMQ \(operation) failed: \(String(cString: zmq_strerror(code)))"
    }

    static func last(_ operation: String) -> ZMQError { ZMQError(operation: operation, code: zmq_errno()) }
}

/// A ZeroMQ context; create one per process and share it between threads.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() {
        // zmq_ctx_new fails only when the process is out of file descriptors or memory.
        guard let handle = zmq_ctx_new() else { preconditionFailure("zmq_ctx_new failed: out of resources") }
        self.handle = handle
    }
}

/// One ZeroMQ socket. Like ZeroMQ sockets themselves, it must be used by one thread at a time.
public final class ZMQSocket: @unchecked Sendable {
    public enum Kind {
        case router, pub, xpub, rep, push, pull, dealer, sub, req
        var raw: Int32 {
            switch self {
            case .router: return ZMQ_ROUTER
            case .pub: return ZMQ_PUB
            case .xpub: return ZMQ_XPUB
            case .rep: return ZMQ_REP
            case .push: return ZMQ_PUSH
            case .pull: return ZMQ_PULL
            case .dealer: return ZMQ_DEALER
            case .sub: return ZMQ_SUB
            case .req: return ZMQ_REQ
            }
        }
    }

    let handle: UnsafeMutableRawPointer

    public init(_ context: ZMQContext, _ kind: Kind) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, kind.raw) else { throw .last("socket") }
        self.handle = handle
        setInt(ZMQ_LINGER, 1000)
    }

    deinit { zmq_close(handle) }

    /// Sets an integer socket option.
    public func setInt(_ option: Int32, _ value: Int32) {
        var value = value
        zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size)
    }

    /// Sets a bytes socket option (e.g. ZMQ_SUBSCRIBE, ZMQ_IDENTITY).
    public func setBytes(_ option: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, bytes.count) }
    }

    /// Makes this socket a CurveZMQ server with `secretKey` (Z85, 40 characters): clients must
    /// know the matching public key, and every frame is encrypted. Call before `bind`.
    public func becomeCurveServer(secretKey: String) throws(ZMQError) {
        guard zmq_has("curve") != 0 else { throw ZMQError(operation: "CURVE setup (this libzmq was built without CurveZMQ)", code: ENOTSUP) }
        var on: Int32 = 1
        guard zmq_setsockopt(handle, ZMQ_CURVE_SERVER, &on, MemoryLayout<Int32>.size) == 0 else { throw .last("set ZMQ_CURVE_SERVER") }
        // A Z85 key is passed as 41 bytes: its 40 characters and a terminating NUL.
        let key = Array(secretKey.utf8) + [0]
        let status = key.withUnsafeBytes { zmq_setsockopt(handle, ZMQ_CURVE_SECRETKEY, $0.baseAddress, key.count) }
        guard status == 0 else { throw .last("set ZMQ_CURVE_SECRETKEY") }
    }

    public func bind(_ endpoint: String) throws(ZMQError) {
        guard zmq_bind(handle, endpoint) == 0 else { throw .last("bind \(endpoint)") }
    }

    public func connect(_ endpoint: String) throws(ZMQError) {
        guard zmq_connect(handle, endpoint) == 0 else { throw .last("connect \(endpoint)") }
    }

    /// The endpoint actually bound (resolves `tcp://ip:*`).
    public var lastEndpoint: String {
        var buffer = [CChar](repeating: 0, count: 256)
        var size = buffer.count
        zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sends all frames as one multipart message; blocks while the peer's queue is full.
    @discardableResult
    public func send(_ frames: [[UInt8]]) -> Bool {
        for (index, frame) in frames.enumerated() {
            let flags = index == frames.count - 1 ? 0 : ZMQ_SNDMORE
            while true {
                let sent = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, frame.count, flags) }
                if sent >= 0 { break }
                if zmq_errno() == EINTR { continue }
                return false
            }
        }
        return true
    }

    /// Waits up to `timeout` milliseconds (-1: forever) until a message can be received.
    public func waitReadable(timeout: Int) -> Bool {
        ZMQPoller.readable([self], timeout: timeout).first ?? false
    }

    /// Receives one multipart message, or nil when none arrives within `timeout` ms (-1: wait).
    public func receive(timeout: Int = -1) -> [[UInt8]]? {
        if timeout >= 0, !waitReadable(timeout: timeout) { return nil }
        var frames: [[UInt8]] = []
        while true {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            var received: Int32
            repeat { received = zmq_msg_recv(&message, handle, 0) } while received < 0 && zmq_errno() == EINTR
            if received < 0 { return frames.isEmpty ? nil : frames }
            let size = zmq_msg_size(&message)
            if size == 0 {
                frames.append([])
            } else {
                let start = zmq_msg_data(&message).assumingMemoryBound(to: UInt8.self)
                frames.append(Array(UnsafeBufferPointer(start: start, count: size)))
            }
            if zmq_msg_more(&message) == 0 { return frames }
        }
    }
}

/// Waits on several sockets at once.
public enum ZMQPoller {
    /// Which of `sockets` are readable after waiting up to `timeout` ms (-1: forever).
    public static func readable(_ sockets: [ZMQSocket], timeout: Int) -> [Bool] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let count = zmq_poll(&items, Int32(items.count), timeout)
        guard count > 0 else { return sockets.map { _ in false } }
        return items.map { ($0.revents & Int16(ZMQ_POLLIN)) != 0 }
    }
}
