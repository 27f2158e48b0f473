import CReadline
import Foundation

/// What the user did at a prompt.
public enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C: the line (and any unfinished cell) is discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// GNU readline, driven through its callback interface so that Ctrl-C at the prompt (delivered
/// through `interruptPrompt()`) clears the line instead of killing the process. Completion and
/// history go through readline too. One line editor per process.
public final class LineEditor: @unchecked Sendable {
    /// Supplies completions for (line, cursor) → (replacement start in scalars, candidates).
    public typealias Completer = (_ line: String, _ cursor: Int) -> (start: Int, matches: [String])

    public let historyPath: String?
    public let isInteractive: Bool
    private let wakeRead: Int32
    private let wakeWrite: Int32

    nonisolated(unsafe) static var completer: Completer?
    nonisolated(unsafe) static var pendingMatches: [String] = []
    nonisolated(unsafe) static var received: LineInput?

    public init(historyPath: String?, completer: @escaping Completer) {
        self.historyPath = historyPath
        isInteractive = isatty(STDIN_FILENO) == 1
        var fds: [Int32] = [0, 0]
        if pipe(&fds) != 0 { fds = [-1, -1] }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        Self.completer = completer
        rl_catch_signals = 0
        rl_catch_sigwinch = 1
        rl_readline_name = UnsafePointer(strdup("swift-grpo"))
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n\"\\'`@$><=;|&{}()[],+-*/%!^~?:."))
        rl_attempted_completion_function = { text, start, end in
            rl_attempted_completion_over = 1
            rl_completion_append_character = 0
            guard let buffer = rl_line_buffer, let completer = LineEditor.completer else { return nil }
            let line = String(cString: buffer)
            let bytes = Array(line.utf8)
            let cursor = String(decoding: bytes[..<min(Int(rl_point), bytes.count)], as: UTF8.self).unicodeScalars.count
            let wordStart = String(decoding: bytes[..<min(Int(start), bytes.count)], as: UTF8.self).unicodeScalars.count
            let result = completer(line, cursor)
            let scalars = Array(line.unicodeScalars)
            let lead = result.start > wordStart && result.start <= scalars.count
                ? String(String.UnicodeScalarView(scalars[wordStart..<result.start])) : ""
            LineEditor.pendingMatches = result.matches.map { lead + $0 }
            guard !LineEditor.pendingMatches.isEmpty else { return nil }
            return rl_completion_matches(text) { _, state in
                if state == 0 { LineEditor.matchIndex = 0 }
                guard LineEditor.matchIndex < LineEditor.pendingMatches.count else { return nil }
                defer { LineEditor.matchIndex += 1 }
                return strdup(LineEditor.pendingMatches[LineEditor.matchIndex])
            }
        }
        if let historyPath {
            using_history()
            read_history(historyPath)
        }
    }

    nonisolated(unsafe) static var matchIndex = 0

    /// Makes a waiting `read` return `.interrupted`; safe from any thread.
    public func interruptPrompt() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Reads one line after showing `prompt`, with `prefill` already typed (the suggested indent).
    public func read(prompt: String, prefill: String = "") -> LineInput {
        guard isInteractive else { return readPiped() }
        drainWakeups()
        Self.received = nil
        rl_callback_handler_install(prompt) { line in
            if let line {
                LineEditor.received = .line(String(cString: line))
                free(line)
            } else {
                LineEditor.received = .endOfInput
            }
            rl_callback_handler_remove()
        }
        if !prefill.isEmpty {
            rl_insert_text(prefill)
            rl_redisplay()
        }
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        while Self.received == nil {
            let ready = poll(&fds, 2, -1)
            if ready < 0 { if errno == EINTR { continue } else { break } }
            if fds[1].revents != 0 {
                drainWakeups()
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_replace_line("", 0)
                rl_callback_handler_remove()
                fputs("^C\n", stdout)
                fflush(stdout)
                return .interrupted
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP) != 0 { rl_callback_read_char() }
        }
        return Self.received ?? .endOfInput
    }

    /// Adds a finished cell to the history and saves the history file.
    public func remember(_ entry: String) {
        guard isInteractive, !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        add_history(entry)
        if let historyPath {
            write_history(historyPath)
            history_truncate_file(historyPath, 2000)
        }
    }

    private func readPiped() -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .endOfInput }
        return .line(line)
    }

    private func drainWakeups() {
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        var byte: UInt8 = 0
        while poll(&fds, 1, 0) > 0 && fds[0].revents != 0 { _ = Foundation.read(wakeRead, &byte, 1) }
    }
}
