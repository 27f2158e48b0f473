import Synchronization

/// A thread-safe request to stop the running cell, checked at loop back-edges and calls.
public final class InterruptFlag: @unchecked Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Asks the running code to stop; safe from any thread.
    public func request() { requested.store(true, ordering: .relaxed) }

    public var isRequested: Bool { requested.load(ordering: .relaxed) }

    public func clear() { requested.store(false, ordering: .relaxed) }

    /// Throws the catchable interrupt error (and clears the request) when one is pending.
    @inline(__always)
    public func check() throws {
        if requested.load(ordering: .relaxed) {
            clear()
            throw RuntimeError("interrupted", kind: .interrupted)
        }
    }
}
