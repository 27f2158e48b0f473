import Foundation
import Runtime

/// The REPL's `OutputSink`: streams go to this process's stdout/stderr; rich displays fall back
/// to text/plain, and a display with no usable text is written to a file whose path is printed.
public final class TerminalOutput: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var savedCount = 0
    /// Where rich-only displays are written.
    public let displayDirectory: String

    public init(displayDirectory: String = NSTemporaryDirectory() + "swift-grpo-displays") {
        self.displayDirectory = displayDirectory
    }

    public func write(_ text: String, to stream: OutputStreamName) {
        lock.lock()
        defer { lock.unlock() }
        fputs(text, stream == .stdout ? stdout : stderr)
        if stream == .stderr || text.contains("\n") || text.contains("\r") { fflush(stream == .stdout ? stdout : stderr) }
    }

    public func display(_ bundle: MIMEBundle, displayID: String?, update: Bool) {
        write(Self.render(bundle, saveRich: save) + "\n", to: .stdout)
    }

    public func clearOutput(wait: Bool) {}

    /// Progress is one line rewritten in place with a carriage return.
    public var liveDisplayStyle: LiveDisplayStyle { .terminalLine }

    /// The text shown for `bundle`: its text/plain, or a note saying where the rich form was saved.
    static func render(_ bundle: MIMEBundle, saveRich: (String, String) -> String?) -> String {
        let plain = bundle.plainText
        let rich = ["text/html", "image/svg+xml", "image/png", "text/markdown", "application/json", "text/latex"]
            .filter { bundle.data[$0] != nil }
        if !plain.isEmpty && !Self.isPlaceholder(plain) || rich.isEmpty { return plain }
        let mime = rich[0]
        if mime == "text/markdown" || mime == "application/json" || mime == "text/latex" { return bundle.data[mime] ?? plain }
        guard let path = saveRich(mime, bundle.data[mime] ?? "") else { return plain }
        return "(\(mime) output written to \(path))"
    }

    /// Text/plain that only names the rich form, like "<html output>".
    private static func isPlaceholder(_ text: String) -> Bool {
        text.hasPrefix("<") && text.hasSuffix(">") && !text.contains("\n")
            && (text.hasSuffix(" output>") || text.lowercased().contains("object"))
    }

    private func save(_ mime: String, _ content: String) -> String? {
        lock.lock()
        savedCount += 1
        let number = savedCount
        lock.unlock()
        let fileExtension = ["text/html": "html", "image/svg+xml": "svg", "image/png": "png"][mime] ?? "txt"
        let path = "\(displayDirectory)/display-\(getpid())-\(number).\(fileExtension)"
        let data = mime == "image/png" ? (Data(base64Encoded: content) ?? Data()) : Data(content.utf8)
        do {
            try FileManager.default.createDirectory(atPath: displayDirectory, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: path))
            return path
        } catch {
            return nil
        }
    }
}
