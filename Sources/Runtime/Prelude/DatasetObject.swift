import Foundation
import GRPO

/// A dataset as cells see it (`Dataset`): rows are `[String: …]` dictionaries, iterable with
/// `for row in data`, shown as a table.
final class DatasetObject: NativeSequence, CustomStringConvertible {
    let dataset: Dataset

    init(_ dataset: Dataset) {
        self.dataset = dataset
    }

    var typeName: String { "Dataset" }
    var description: String { dataset.description }

    func elements() throws -> [Value] {
        dataset.rows.map { DatasetValueBridge.value($0, columns: dataset.columns) }
    }

    /// A table of the first rows (all of them when there are few).
    func mimeBundle() -> MIMEBundle? {
        let shown = dataset.count > Self.previewRows ? dataset.head(Self.previewRows) : dataset
        let more = dataset.count > shown.count ? "\n(first \(shown.count) of \(dataset.count) rows; use head(n) to see others)" : ""
        let moreHTML = more.isEmpty ? "" : "<p>First \(shown.count) of \(dataset.count) rows; use <code>head(n)</code> to see others.</p>"
        return MIMEBundle(data: ["text/plain": shown.text + more, "text/html": shown.html + moreHTML])
    }

    static let previewRows = 10
}

/// Relative data paths that work from the project root, a notebook's folder or anywhere below it.
enum DataPath {
    /// `path` itself when it exists; for a relative path that does not, the same relative path
    /// under the nearest ancestor of the working directory (or of the executable) that has it.
    static func resolve(_ path: String) -> String {
        let files = FileManager.default
        guard !path.hasPrefix("/"), !files.fileExists(atPath: path) else { return path }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let starts = [URL(fileURLWithPath: files.currentDirectoryPath), executable.deletingLastPathComponent()]
        for start in starts {
            var directory = start
            for _ in 0..<6 {
                let candidate = directory.appendingPathComponent(path).path
                if files.fileExists(atPath: candidate) { return candidate }
                directory.deleteLastPathComponent()
            }
        }
        return path
    }
}
