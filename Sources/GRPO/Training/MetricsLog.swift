import Foundation

/// `OUTPUT/metrics.jsonl`: one line per logged step, appended as the run goes.
public struct MetricsLog {
    public let url: URL

    public init(directory: URL) {
        url = directory.appendingPathComponent("metrics.jsonl")
    }

    /// Appends one step's line (creating the folder and file on first use).
    public func append(_ metrics: StepMetrics) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let line = Data((metrics.jsonLine + "\n").utf8)
        if let handle = try? FileHandle(forWritingTo: url) {
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        } else {
            try line.write(to: url)
        }
    }

    /// The log's text ("" when there is none yet).
    public func contents() -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// Replaces the log with `text` (a resumed run continues the checkpoint's log).
    public func replace(with text: String) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
