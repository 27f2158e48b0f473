import Foundation

/// An output sink for headless runs (`swift-grpo run FILE.swift`, benchmarks): text goes to the
/// process's stdout/stderr, displays as their text/plain form.
public final class StandardStreamsSink: OutputSink, @unchecked Sendable {
    private let lock = NSLock()

    public init() {}

    public func write(_ text: String, to stream: OutputStreamName) {
        lock.lock()
        defer { lock.unlock() }
        (stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError).write(Data(text.utf8))
    }

    public func display(_ bundle: MIMEBundle, displayID: String?, update: Bool) {
        write(bundle.plainText + "\n", to: .stdout)
    }

    public func clearOutput(wait: Bool) {}

    /// A script's output is a log: a line per milestone, not rewritten displays.
    public var liveDisplayStyle: LiveDisplayStyle { .logLines }
}

/// An output sink that keeps everything in memory (tests, benchmarks).
public final class MemorySink: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var out = ""
    private var err = ""
    private var bundles: [MIMEBundle] = []
    private var events: [DisplayEvent] = []

    /// One `display` call as it arrived.
    public struct DisplayEvent {
        public var bundle: MIMEBundle
        public var displayID: String?
        public var update: Bool
    }

    /// The live-display style this sink reports (tests pick the front end they imitate).
    public var liveDisplayStyle: LiveDisplayStyle = .inPlace

    public init() {}

    public var stdout: String { lock.withLock { out } }
    public var stderr: String { lock.withLock { err } }
    public var displays: [MIMEBundle] { lock.withLock { bundles } }
    /// Every display call with its id and whether it replaced an earlier one, in order.
    public var displayEvents: [DisplayEvent] { lock.withLock { events } }

    public func write(_ text: String, to stream: OutputStreamName) {
        lock.withLock {
            if stream == .stdout { out += text } else { err += text }
        }
    }

    public func display(_ bundle: MIMEBundle, displayID: String?, update: Bool) {
        lock.withLock {
            bundles.append(bundle)
            events.append(DisplayEvent(bundle: bundle, displayID: displayID, update: update))
        }
    }

    public func clearOutput(wait: Bool) {
        lock.withLock { bundles.removeAll() }
    }

    /// Forgets what was collected.
    public func reset() {
        lock.withLock {
            out = ""
            err = ""
            bundles = []
            events = []
        }
    }
}

/// Runs a `.swift` script file on a fresh session (`swift-grpo run FILE.swift`).
public enum ScriptRunner {
    /// Runs the file; output goes to stdout/stderr. Returns the exit status: 0, or 1 when the
    /// file cannot be read or the script fails (the traceback goes to stderr).
    public static func run(path: String, registry: NativeRegistry = .standard()) -> Int32 {
        let sink = StandardStreamsSink()
        guard let code = try? String(contentsOfFile: path, encoding: .utf8) else {
            sink.write("error: cannot read \(path): check that the file exists and is UTF-8 text\n", to: .stderr)
            return 1
        }
        let session = Session(output: sink, registry: registry)
        switch session.runScript(code, name: (path as NSString).lastPathComponent) {
        case .success:
            return 0
        case .failure(let error):
            sink.write("\(error.name): " + error.traceback.joined(separator: "\n") + "\n", to: .stderr)
            return 1
        }
    }
}
