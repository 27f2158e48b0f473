import Foundation

/// A results file of JSON lines that grows as cases are judged, so an interrupted run can be
/// resumed where it stopped.
public final class EvaluationLog {
    public enum Mode: Sendable {
        /// Start a new file; an existing non-empty file is an error.
        case create
        /// Start a new file, replacing any existing one.
        case replace
        /// Keep the records already in the file (a cut-off last line is dropped) and append.
        case resume
    }

    public let url: URL
    /// The records the file held when opened for resuming.
    public let existing: [EvaluationRecord]
    private let handle: FileHandle

    public init(url: URL, mode: Mode) throws {
        self.url = url
        let manager = FileManager.default
        var kept: [EvaluationRecord] = []
        var keptText = ""
        if manager.fileExists(atPath: url.path) {
            let text = try String(contentsOf: url, encoding: .utf8)
            switch mode {
            case .create:
                if !text.allSatisfy(\.isWhitespace) { throw EvaluationError.resultsFileExists(path: url.path) }
            case .replace:
                break
            case .resume:
                (kept, keptText) = try Self.parse(text, path: url.path)
            }
        }
        try keptText.write(to: url, atomically: true, encoding: .utf8)
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        existing = kept
    }

    deinit { try? handle.close() }

    /// Appends one record as a line and flushes it to disk.
    public func append(_ record: EvaluationRecord) throws {
        try handle.write(contentsOf: Data((record.jsonLine + "\n").utf8))
        try handle.synchronize()
    }

    /// Every record of a results file.
    public static func read(_ url: URL) throws -> [EvaluationRecord] {
        try parse(try String(contentsOf: url, encoding: .utf8), path: url.path).records
    }

    /// The records, and the text of the lines kept: a last line without its newline that does not
    /// parse was cut off by an interruption and is dropped; any other bad line is an error.
    private static func parse(_ text: String, path: String) throws -> (records: [EvaluationRecord], text: String) {
        var records: [EvaluationRecord] = []
        var keptText = ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where !line.allSatisfy(\.isWhitespace) {
            let isUnfinished = index == lines.count - 1 && !text.hasSuffix("\n")
            do {
                records.append(try EvaluationRecord(jsonLine: String(line), number: index + 1, file: path))
                keptText += line + "\n"
            } catch where isUnfinished {
                break
            }
        }
        return (records, keptText)
    }
}
