import Dispatch
import Synchronization

/// A thread-safe request to stop the running cell, checked at loop back-edges and calls.
public final class InterruptFlag: @unchecked Sendable {
    private let requested = Atomic<Bool>(false)
    /// Interrupts delivered during the current cell; after the first one (which code may catch)
    /// they cannot be caught, so a loop that swallows interrupts still stops.
    private let delivered = Atomic<Int>(0)
    /// Time budgets: the innermost running one, the one whose time ran out, and an id counter.
    private let activeBudget = Atomic<Int>(0)
    private let expiredBudget = Atomic<Int>(0)
    private let budgetCounter = Atomic<Int>(0)

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

    /// Runs `body`, which stops with a `timeBudgetExceeded` trap at its next check once `seconds`
    /// have passed (a timer raises the flag; nothing is polled meanwhile).
    public func withTimeBudget<T>(_ seconds: Double, _ body: () throws -> T) throws -> T {
        let id = budgetCounter.add(1, ordering: .relaxed).newValue
        let outer = activeBudget.exchange(id, ordering: .relaxed)
        defer {
            activeBudget.store(outer, ordering: .relaxed)
            // Time ran out after the last check: withdraw the request the timer made.
            if expiredBudget.compareExchange(expected: id, desired: 0, ordering: .relaxed).exchanged { clear() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + max(0, seconds)) { [self] in
            guard activeBudget.load(ordering: .relaxed) == id else { return }
            expiredBudget.store(id, ordering: .relaxed)
            request()
        }
        return try body()
    }

    /// Throws the catchable interrupt error (and clears the request) when one is pending, or the
    /// time-budget trap when the running budget's time is up.
    @inline(__always)
    public func check() throws {
        if requested.load(ordering: .relaxed) {
            clear()
            let expired = expiredBudget.load(ordering: .relaxed)
            if expired != 0, expired == activeBudget.load(ordering: .relaxed) {
                expiredBudget.store(0, ordering: .relaxed)
                throw RuntimeError("the time budget ran out", kind: .timeBudgetExceeded)
            }
            let count = delivered.add(1, ordering: .relaxed).newValue
            throw RuntimeError("interrupted", kind: count > 1 ? .forcedInterrupt : .interrupted)
        }
    }
}
