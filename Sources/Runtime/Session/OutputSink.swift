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
