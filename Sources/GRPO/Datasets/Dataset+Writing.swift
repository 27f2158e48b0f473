import Foundation

extension Dataset {
    /// The rows as JSON Lines text (one compact object per line, keys sorted).
    public var jsonLinesString: String {
        rows.map { DatasetValue.object($0.cells).jsonString + "\n" }.joined()
    }

    /// The rows as a JSON array (one compact object per line, keys sorted).
    public var jsonString: String {
        "[\n" + rows.map { DatasetValue.object($0.cells).jsonString }.joined(separator: ",\n") + "\n]\n"
    }

    /// Writes the rows to `path`: JSON Lines for `.jsonl`/`.ndjson`, otherwise a JSON array.
    public func write(to path: String) throws {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        let text = ext == "jsonl" || ext == "ndjson" ? jsonLinesString : jsonString
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw DatasetError.unreadableFile(path: path, reason: "could not write: \(error.localizedDescription)")
        }
    }
}
