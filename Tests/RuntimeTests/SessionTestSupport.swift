import Foundation
import Runtime

/// A session with collected output, for tests.
final class TestSession {
    let sink = MemorySink()
    let session: Session

    init() {
        session = Session(output: sink)
    }

    struct Outcome {
        var stdout: String
        var result: String?
        var error: CellError?
    }

    /// Runs one cell and returns what it printed, its result's text/plain, or its error.
    @discardableResult
    func run(_ code: String) -> Outcome {
        sink.reset()
        switch session.execute(code) {
        case .success(let bundle): return Outcome(stdout: sink.stdout, result: bundle?.plainText, error: nil)
        case .failure(let error): return Outcome(stdout: sink.stdout, result: nil, error: error)
        }
    }

    /// Runs `code` on a background thread, interrupts it after `delay`, and returns the outcome and
    /// the seconds between the interrupt and the cell's return.
    func runInterrupted(_ code: String, after delay: Double) -> (Outcome, latency: Double) {
        let done = DispatchSemaphore(value: 0)
        let box = OutcomeBox()
        let thread = Thread { [self] in
            box.outcome = run(code)
            done.signal()
        }
        thread.start()
        Thread.sleep(forTimeInterval: delay)
        let interruptedAt = Date()
        session.interrupt()
        done.wait()
        return (box.outcome!, Date().timeIntervalSince(interruptedAt))
    }
}

private final class OutcomeBox: @unchecked Sendable {
    var outcome: TestSession.Outcome?
}
