import Synchronization

/// A thread-safe request to stop the running cell, checked at loop back-edges and calls.
public final class InterruptFlag: @unchecked Sendable {
    private let requested = Atomic<Bool>(false)
    /// Interrupts delivered during the current cell; after the first one (which code may catch)
    /// they cannot be caught, so a loop that swallows interrupts still stops.
    private let delivered = Atomic<Int>(0)

    public init() {}

    /// Asks the running code to stop; safe from any thread.
    public func request() { requested.store(true, ordering: .relaxed) }

    public var isRequested: Bool { requested.load(ordering: .relaxed) }

    public func clear() { requested.store(false, ordering: .relaxed) }

    /// Starts a new cell: its first interrupt is catchable again.
    public func reset() {
        clear()
        delivered.store(0, ordering: .relaxed)
    }

    /// Puts back an interrupt that native code caught on its way out (a fault-isolating reward
    /// runner turns every error into nil scores): the next `check` throws it again, exactly as
    /// catchable as it was.
    public func redeliver() {
        delivered.subtract(1, ordering: .relaxed)
        request()
    }

    /// Throws the catchable interrupt error (and clears the request) when one is pending.
    @inline(__always)
    public func check() throws {
        if requested.load(ordering: .relaxed) {
            clear()
            let count = delivered.add(1, ordering: .relaxed).newValue
            throw RuntimeError("interrupted", kind: count > 1 ? .forcedInterrupt : .interrupted)
        }
    }
}
