import Foundation

/// Where in a text file something went wrong (1-based line and column, counted in bytes).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file path, or nil when the text did not come from a file.
    public var path: String?
    public var line: Int
    public var column: Int

    public init(path: String?, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path ?? "<text>"):\(line):\(column)" }
}

/// Why a dataset could not be loaded or transformed; every message says what to do next.
public enum DatasetError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case fileNotFound(path: String)
    case unreadableFile(path: String, reason: String)
    case unknownFormat(path: String)
    case malformedJSON(SourceLocation, reason: String)
    case malformedJSONLines(SourceLocation, reason: String)
    case malformedCSV(SourceLocation, reason: String)
    case rowIsNotAnObject(SourceLocation, found: String)
    case notATable(path: String?, found: String)
    case missingField(path: String?, field: String, available: [String])
    case missingColumn(String, available: [String])
    case columnExists(String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "No dataset file at '\(path)'. Check the path (relative paths start at the working directory: \(FileManager.default.currentDirectoryPath))."
        case .unreadableFile(let path, let reason):
            if let kind = Self.specialFileKind(path) {
                return "Could not read '\(path)': it is \(kind), not a regular file. Pass the path of a dataset file (.json, .jsonl or .csv)."
            }
            return "Could not read '\(path)': \(reason). Check the file's permissions."
        case .unknownFormat(let path):
            return "Cannot tell the format of '\(path)' from its extension. Use Dataset.json, Dataset.jsonl or Dataset.csv directly."
        case .malformedJSON(let location, let reason):
            return "\(location): malformed JSON: \(reason). Fix the file at that position; if it holds one object per line, load it with Dataset.jsonl."
        case .malformedJSONLines(let location, let reason):
            return "\(location): malformed JSON Lines: \(reason). Each non-empty line must hold exactly one JSON object; if the file is one JSON array, load it with Dataset.json."
        case .malformedCSV(let location, let reason):
            return "\(location): malformed CSV: \(reason). Quote fields that contain commas, quotes or newlines, and double any quote inside a quoted field (\"\")."
        case .rowIsNotAnObject(let location, let found):
            return "\(location): expected a row object {\"column\": value, …} but found \(found). Every row must be a JSON object."
        case .notATable(let path, let found):
            return "\(path ?? "<text>"): expected an array of row objects but the document is \(found). Pass field: \"name\" to read the array under that key."
        case .missingField(let path, let field, let available):
            return "\(path ?? "<text>"): the document has no field '\(field)'. Available fields: \(available.joined(separator: ", "))."
        case .missingColumn(let column, let available):
            return "No column '\(column)'. Available columns: \(available.joined(separator: ", "))."
        case .columnExists(let column):
            return "A column named '\(column)' already exists. Remove it first or pick another name."
        case .invalidArgument(let message):
            return message
        }
    }

    public var errorDescription: String? { description }

    /// What `path` is when it exists but is not a regular file ("a character device" for
    /// /dev/zero), so the message does not blame permissions.
    static func specialFileKind(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a directory"
        default: return "a special file"
        }
    }
}
