import Foundation
import Runtime

/// The terminal REPL on the same engine as the kernel: multi-line cells driven by the engine's
/// is-complete (with the suggested indent), tab completion from the engine, history in a file,
/// Ctrl-C interrupting only the running code (or clearing the line at the prompt), Ctrl-D
/// exiting.
public final class REPL {
    public let session: Session
    private let editor: LineEditor
    private let executing = NSLock()
    private var isExecuting = false

    /// The history file: $SWIFT_GRPO_HISTORY, else ~/.swift_grpo_history.
    public static var defaultHistoryPath: String {
        if let path = ProcessInfo.processInfo.environment["SWIFT_GRPO_HISTORY"], !path.isEmpty { return path }
        return NSHomeDirectory() + "/.swift_grpo_history"
    }

    public init(historyPath: String? = REPL.defaultHistoryPath, makeSession: (OutputSink) -> Session = { Session(output: $0) }) {
        let output = TerminalOutput()
        let session = makeSession(output)
        self.session = session
        editor = LineEditor(historyPath: historyPath) { line, cursor in
            let completion = session.complete(line, cursor: cursor)
            return (completion.cursorStart, completion.matches)
        }
        session.input = TerminalInput(editor: editor)
    }

    /// Runs until Ctrl-D; returns the process exit status.
    public func run(banner: String? = nil) -> Int32 {
        let editor = editor
        SignalWatcher.watch(SIGINT) { [weak self] in
            guard let self else { return }
            self.executing.lock()
            let running = self.isExecuting
            self.executing.unlock()
            if running { self.session.interrupt() }
            editor.interruptPrompt()  // also ends a readLine() prompt inside the running cell
        }
        if editor.isInteractive, let banner { print(banner) }
        var cell: [String] = []
        var indent = ""
        while true {
            let number = session.executionCount + 1
            let prompt = editor.isInteractive ? (cell.isEmpty ? "\(number)> " : String(repeating: " ", count: String(number).count) + ". ") : ""
            switch editor.read(prompt: prompt, prefill: indent) {
            case .endOfInput:
                if editor.isInteractive { print("") }
                if !cell.isEmpty { runCell(cell.joined(separator: "\n")) }
                return 0
            case .interrupted:
                cell = []
                indent = ""
            case .line(let line):
                cell.append(line)
                let code = cell.joined(separator: "\n")
                if code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    cell = []
                    continue
                }
                switch session.isComplete(code) {
                case .incomplete(let suggested):
                    indent = suggested
                    continue
                default:
                    break
                }
                editor.remember(code)
                cell = []
                indent = ""
                runCell(code)
            }
        }
    }

    private func runCell(_ code: String) {
        setExecuting(true)
        let result = session.execute(code)
        setExecuting(false)
        fflush(stdout)
        switch result {
        case .success(let value?):
            let text = TerminalOutput.render(value) { _, _ in nil }
            if !text.isEmpty { print(text) }
        case .success(nil):
            break
        case .failure(let error):
            let lines = error.displayTraceback(colored: isatty(STDERR_FILENO) == 1)
            fputs(lines.joined(separator: "\n") + "\n", stderr)
        }
        fflush(stdout)
        fflush(stderr)
    }

    private func setExecuting(_ value: Bool) {
        executing.lock()
        isExecuting = value
        executing.unlock()
    }
}

/// `readLine()` in the REPL: reads from the terminal through the line editor.
final class TerminalInput: InputProvider {
    private let editor: LineEditor

    init(editor: LineEditor) { self.editor = editor }

    func readLine(prompt: String, password: Bool) throws -> String {
        fflush(stdout)
        switch editor.read(prompt: prompt) {
        case .line(let line): return line
        case .interrupted: throw InputUnavailable("input was interrupted")
        case .endOfInput: throw InputUnavailable("end of input while reading a line")
        }
    }
}
