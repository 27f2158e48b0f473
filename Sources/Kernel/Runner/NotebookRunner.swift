import Foundation
import Runtime
import TextFormats

/// Why a notebook could not be run at all (cell failures are reported in `NotebookRunReport`).
public enum NotebookError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notANotebook(path: String, reason: String)
    case invalidParameter(String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read notebook \(path): \(reason)"
        case .notANotebook(let path, let reason):
            return "\(path) is not a Jupyter notebook (nbformat 4): \(reason)"
        case .invalidParameter(let text):
            return "parameter \"\(text)\" must look like NAME=VALUE with NAME a Swift identifier"
        case .cannotWrite(let path, let reason):
            return "cannot write the executed notebook to \(path): \(reason); choose another path with -o"
        }
    }
}

/// How to run a notebook: nbclient/papermill options.
public struct NotebookRunOptions {
    /// Parameters injected as `let NAME = VALUE` in a cell tagged `injected-parameters`.
    public var parameters: [(name: String, value: JSONValue)]
    /// Where the executed notebook goes; nil writes `NAME.out.ipynb` beside the input.
    public var outputPath: String?
    /// Keep running after a failing cell (the run still succeeds).
    public var allowErrors: Bool
    /// Seconds each cell may run before it is interrupted and the run fails; nil waits forever.
    public var cellTimeout: Double?
    /// Echo cell output to this process's stdout/stderr as it is produced.
    public var echoOutput: Bool

    public init(
        parameters: [(name: String, value: JSONValue)] = [], outputPath: String? = nil, allowErrors: Bool = false,
        cellTimeout: Double? = nil, echoOutput: Bool = false
    ) {
        self.parameters = parameters
        self.outputPath = outputPath
        self.allowErrors = allowErrors
        self.cellTimeout = cellTimeout
        self.echoOutput = echoOutput
    }

    /// Parses `NAME=VALUE` command-line parameters (values as papermill's `-p` reads them).
    public static func parameters(from arguments: [String]) throws(NotebookError) -> [(name: String, value: JSONValue)] {
        var result: [(name: String, value: JSONValue)] = []
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else { throw .invalidParameter(argument) }
            let name = String(argument[..<equals]).trimmingCharacters(in: .whitespaces)
            guard let first = name.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first),
                name.unicodeScalars.allSatisfy({ $0 == "_" || CharacterSet.alphanumerics.contains($0) })
            else { throw .invalidParameter(argument) }
            result.append((name, SwiftLiteral.parseParameter(String(argument[argument.index(after: equals)...]))))
        }
        return result
    }
}

/// The outcome of a notebook run.
public struct NotebookRunReport {
    /// Where the executed notebook was written.
    public var outputPath: String
    /// Code cells executed (skipped cells excluded).
    public var executedCells: Int
    /// The first failure that stopped the run (or, with allowErrors, nil).
    public var failure: (cellIndex: Int, error: CellError)?
    /// Failing cells that were tolerated (allowErrors or the `raises-exception` tag).
    public var toleratedErrors: Int

    /// True when every cell ran and none failed unexpectedly: exit code 0.
    public var succeeded: Bool { failure == nil }
}

/// Runs a notebook headlessly in this process, with nbclient/papermill semantics: parameters
/// injected after the `parameters` cell, `skip-execution` and `raises-exception` tags honoured,
/// stop at the first error unless allowed, nbformat 4.5 output written atomically after every
/// cell (so a partial notebook exists even when a cell fails).
public struct NotebookRunner {
    public var options: NotebookRunOptions
    /// Builds the engine; the default is a fresh `Session`.
    public var makeSession: (OutputSink) -> Session

    public init(options: NotebookRunOptions = NotebookRunOptions(), makeSession: @escaping (OutputSink) -> Session = { Session(output: $0) }) {
        self.options = options
        self.makeSession = makeSession
    }

    /// The default output path for `input`: `NAME.out.ipynb` in the same folder.
    public static func defaultOutputPath(for input: String) -> String {
        let url = URL(fileURLWithPath: input)
        return url.deletingPathExtension().path + ".out.ipynb"
    }

    /// Runs the notebook at `path` and writes the executed copy.
    public func run(notebookAt path: String) throws(NotebookError) -> NotebookRunReport {
        var notebook = try NotebookDocument.load(path: path)
        if !options.parameters.isEmpty { notebook.injectParameters(options.parameters) }
        notebook.prepareForExecution()
        let outputPath = options.outputPath ?? Self.defaultOutputPath(for: path)

        let echo: ((String, OutputStreamName) -> Void)? =
            options.echoOutput
            ? { text, stream in
                let handle = stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError
                handle.write(Data(text.utf8))
            } : nil
        let collector = NotebookOutputCollector(echo: echo)
        let session = makeSession(collector)
        session.output = collector
        session.input = nil
        var report = NotebookRunReport(outputPath: outputPath, executedCells: 0, failure: nil, toleratedErrors: 0)
        try notebook.write(to: outputPath)

        for index in notebook.cells.indices where notebook.isCode(index) {
            let tags = notebook.tags(index)
            if tags.contains("skip-execution") { continue }
            collector.begin(cell: index)
            let started = MessageFactory.timestamp()
            let (result, timedOut) = execute(notebook.source(index), in: session)
            let finished = MessageFactory.timestamp()
            report.executedCells += 1
            var failure: CellError?
            switch result {
            case .success(let value):
                if let value {
                    collector.append([
                        "output_type": "execute_result", "execution_count": .int(session.executionCount),
                        "data": value.jupyterData, "metadata": value.jupyterMetadata,
                    ])
                }
            case .failure(var error):
                if timedOut {
                    error = CellError(
                        name: "CellTimeoutError",
                        message: "cell execution timed out after \(options.cellTimeout ?? 0) seconds",
                        traceback: ["CellTimeoutError: cell execution timed out after \(options.cellTimeout ?? 0) seconds"]
                            + error.traceback)
                }
                collector.append([
                    "output_type": "error", "ename": .string(error.name), "evalue": .string(error.message),
                    "traceback": .array(error.displayTraceback(colored: false).map { .string($0) }),
                ])
                failure = error
            }
            notebook.record(
                cell: index, outputs: collector.finish(), executionCount: session.executionCount,
                started: started, finished: finished)
            for (cell, outputs) in collector.earlierOutputs where cell != index { notebook.setOutputs(cell: cell, outputs) }
            if let failure {
                if !timedOut && (options.allowErrors || tags.contains("raises-exception")) {
                    report.toleratedErrors += 1
                } else {
                    report.failure = (index, failure)
                    try notebook.write(to: outputPath)
                    return report
                }
            }
            try notebook.write(to: outputPath)
        }
        return report
    }

    /// Runs one cell, interrupting it when it exceeds the timeout.
    private func execute(_ code: String, in session: Session) -> (Result<MIMEBundle?, CellError>, timedOut: Bool) {
        guard let timeout = options.cellTimeout, timeout > 0 else { return (session.execute(code), false) }
        let watchdog = CellWatchdog()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        timer.schedule(deadline: .now() + timeout, repeating: 0.2)
        timer.setEventHandler {
            watchdog.fired()
            session.interrupt()
        }
        timer.resume()
        let result = session.execute(code)
        timer.cancel()
        return (result, watchdog.hasFired)
    }
}

/// Remembers whether a cell's timeout fired (set from the timer queue).
private final class CellWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func fired() { lock.lock(); flag = true; lock.unlock() }
    var hasFired: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
