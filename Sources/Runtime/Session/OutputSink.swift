/// The two text streams a cell writes to.
public enum OutputStreamName: String, Sendable {
    case stdout, stderr
}

/// Where a running cell's output goes.
///
/// Called on the executing thread; implementations must be thread-safe. The kernel publishes to
/// IOPub; the REPL prints; tests collect.
public protocol OutputSink: AnyObject {
    func write(_ text: String, to stream: OutputStreamName)
    /// `displayID` non-nil means the display can be updated later; `update` true means replace
    /// the earlier display with that id (Jupyter update_display_data).
    func display(_ bundle: MIMEBundle, displayID: String?, update: Bool)
    func clearOutput(wait: Bool)
    /// How long-running work should show live progress here (default: updated in place).
    var liveDisplayStyle: LiveDisplayStyle { get }
}

/// How a front end shows progress that changes while a cell runs (a training run's bar and plots).
public enum LiveDisplayStyle: Sendable {
    /// Displays with an id, replaced in place (Jupyter's update_display_data).
    case inPlace
    /// One terminal line rewritten with a carriage return (the REPL).
    case terminalLine
    /// A line of text per milestone and the final displays once (headless runs, saved notebooks).
    case logLines
}

extension OutputSink {
    public var liveDisplayStyle: LiveDisplayStyle { .inPlace }
}

/// Supplies `readLine(prompt:)` input.
///
/// Throws `InputUnavailable` when the front end cannot ask (Jupyter allow_stdin false, headless
/// runs). Must return promptly on interrupt (poll `Session.isInterruptRequested`).
public protocol InputProvider: AnyObject {
    func readLine(prompt: String, password: Bool) throws -> String
}

/// The front end cannot provide input (no stdin channel).
public struct InputUnavailable: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String = "input is not available here: this front end cannot ask for a line of input") {
        self.description = description
    }
}
