import Foundation

/// One interpreter session: bindings persist across `execute` calls.
///
/// Cells run on a dedicated thread with a large stack, so deep recursion ends in a clear
/// recursion-depth error instead of a crash.
public final class Session {
    /// Where output goes; the kernel swaps sinks per request.
    public var output: OutputSink {
        get { context.output }
        set { context.output = newValue }
    }
    public var input: InputProvider? {
        get { context.input }
        set { context.input = newValue }
    }
    /// The number the next stored cell gets is executionCount + 1 (starts at 0).
    public private(set) var executionCount = 0
    public private(set) var history: [HistoryEntry] = []
    /// The native registry: add prelude types and functions before running cells.
    public let registry: NativeRegistry

    let interpreter: Interpreter
    private let context: NativeContext
    private let interruptFlag = InterruptFlag()
    /// Held while a cell runs: completion and inspection read session state only when it is free.
    private let running = NSLock()
    private var scratchCells = 0

    /// Stack size of the thread that runs cells.
    static let stackSize = 1 << 30

    public init(output: OutputSink, input: InputProvider? = nil, registry: NativeRegistry = .standard()) {
        self.registry = registry
        self.context = NativeContext(output: output, input: input, interrupt: interruptFlag, registry: registry)
        self.interpreter = Interpreter(context: context)
    }

    /// Runs a cell.
    ///
    /// With `storeHistory` the cell is numbered (executionCount increments first, even if the
    /// cell fails) and recorded in history. Returns the last expression's value as a MIME bundle
    /// (debug form, like the Swift REPL), nil when the cell ends in a statement or Void.
    public func execute(_ code: String, storeHistory: Bool = true) -> Result<MIMEBundle?, CellError> {
        let name: String
        if storeHistory {
            executionCount += 1
            name = "Cell [\(executionCount)]"
        } else {
            scratchCells += 1
            name = "Cell [*\(scratchCells)]"
        }
        let result = run(SourceText(name: name, text: code))
        if storeHistory {
            let output = (try? result.get()).flatMap { $0?.plainText }
            history.append(HistoryEntry(session: 1, line: executionCount, input: code, output: output))
        }
        return result
    }

    /// Runs a whole script (for `swift-grpo run FILE.swift`); errors name the file.
    public func runScript(_ code: String, name: String) -> Result<MIMEBundle?, CellError> {
        run(SourceText(name: name, text: code))
    }

    /// Thread-safe: makes the running cell throw InterruptError (catchable) within 100 ms.
    public func interrupt() { interruptFlag.request() }

    public var isInterruptRequested: Bool { interruptFlag.isRequested }

    /// The value of a global binding (tests and front ends), nil when it does not exist.
    public func value(of name: String) -> Value? { interpreter.globals.value(of: name) }

    private func run(_ source: SourceText) -> Result<MIMEBundle?, CellError> {
        interruptFlag.reset()
        running.lock()
        defer { running.unlock() }
        let box = OutcomeBox()
        let done = DispatchSemaphore(value: 0)
        let interpreter = self.interpreter
        let thread = Thread {
            box.outcome = interpreter.runCell(source)
            done.signal()
        }
        thread.stackSize = Session.stackSize
        thread.start()
        done.wait()
        interruptFlag.clear()
        return box.outcome
    }

    /// While a cell runs (another thread), only keywords and built-ins are offered.
    public func complete(_ code: String, cursor: Int) -> Completion {
        guard running.try() else {
            return CompletionService(interpreter: interpreter, includeSession: false).complete(code, cursor: cursor)
        }
        defer { running.unlock() }
        return CompletionService(interpreter: interpreter).complete(code, cursor: cursor)
    }

    /// The signature and doc of the name under the cursor, or nil when nothing is found.
    /// Nil while a cell is running on another thread.
    public func inspect(_ code: String, cursor: Int, detailLevel: Int = 0) -> MIMEBundle? {
        guard running.try() else { return nil }
        defer { running.unlock() }
        return InspectionService(interpreter: interpreter).inspect(code, cursor: cursor, detailLevel: detailLevel)
    }

    public func isComplete(_ code: String) -> CompletenessStatus {
        CompletenessService.status(of: code)
    }
}

/// Carries a cell's result from the cell thread back to the caller (the semaphore orders access).
private final class OutcomeBox: @unchecked Sendable {
    var outcome: Result<MIMEBundle?, CellError> = .success(nil)
}
