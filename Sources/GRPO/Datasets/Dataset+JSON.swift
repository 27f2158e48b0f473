import Foundation
import TextFormats

extension Dataset {
    /// Loads a JSON file holding an array of row objects, or an object with the array under `field`.
    ///
    /// `Dataset.json("medical.json")`, `Dataset.json("squad.json", field: "train")`.
    public static func json(_ path: String, field: String? = nil) throws -> Dataset {
        try withFileBytes(path) { try parseJSON($0, path: path, field: field) }
    }

    /// Parses JSON text holding an array of row objects, or an object with the array under `field`.
    public static func json(text: String, field: String? = nil) throws -> Dataset {
        var text = text
        return try text.withUTF8 { try parseJSON($0, path: nil, field: field) }
    }

    /// Loads a JSON Lines file: one row object per non-empty line.
    public static func jsonl(_ path: String) throws -> Dataset {
        try withFileBytes(path) { try parseJSONLines($0, path: path) }
    }

    /// Parses JSON Lines text: one row object per non-empty line.
    public static func jsonl(text: String) throws -> Dataset {
        var text = text
        return try text.withUTF8 { try parseJSONLines($0, path: nil) }
    }

    /// Loads a file by its extension: `.json`, `.jsonl` / `.ndjson`, or `.csv`.
    public static func load(_ path: String) throws -> Dataset {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "json": return try json(path)
        case "jsonl", "ndjson": return try jsonl(path)
        case "csv": return try csv(path)
        default: throw DatasetError.unknownFormat(path: path)
        }
    }

    // MARK: Parsing

    static func parseJSON(_ bytes: UnsafeBufferPointer<UInt8>, path: String?, field: String?) throws -> Dataset {
        var reader = JSONScanner(bytes: bytes)
        var table = TableBuilder()
        do {
            reader.skipWhitespace()
            if let field {
                guard reader.peek == UInt8(ascii: "{") else {
                    throw DatasetError.notATable(path: path, found: "not an object, so it has no field '\(field)'")
                }
                try reader.expect(UInt8(ascii: "{"), "'{'")
                var isFirst = true
                var found = false
                var available: [String] = []
                while let key = try reader.nextKey(isFirst: &isFirst) {
                    available.append(key)
                    if key == field && !found {
                        guard reader.peek == UInt8(ascii: "[") else {
                            let value = try reader.readValue(as: DatasetValue.self)
                            throw DatasetError.notATable(path: path, found: "\(kindName(value)) under '\(field)'")
                        }
                        try readRows(&reader, into: &table, path: path)
                        found = true
                    } else {
                        _ = try reader.readValue(as: DatasetValue.self, depth: 1)
                    }
                }
                guard found else { throw DatasetError.missingField(path: path, field: field, available: available) }
            } else if reader.peek == UInt8(ascii: "[") {
                try readRows(&reader, into: &table, path: path)
            } else {
                let value = try reader.readValue(as: DatasetValue.self)
                if case .object(let fields) = value {
                    let arrays = fields.keys.sorted().filter { fields[$0]?.arrayValue != nil }
                    let hint = arrays.isEmpty ? "an object" : "an object whose array fields are \(arrays.joined(separator: ", "))"
                    throw DatasetError.notATable(path: path, found: hint)
                }
                throw DatasetError.notATable(path: path, found: kindName(value))
            }
            reader.skipWhitespace()
            guard reader.isAtEnd else {
                throw reader.error("unexpected \(reader.describePeek()) after the end of the JSON document")
            }
        } catch let error as JSONParseError {
            throw DatasetError.malformedJSON(location(of: error, path: path), reason: error.reason)
        }
        return table.dataset
    }

    private static func readRows(_ reader: inout JSONScanner, into table: inout TableBuilder, path: String?) throws {
        try reader.expect(UInt8(ascii: "["), "'['")
        var isFirst = true
        while try reader.nextElement(isFirst: &isFirst) {
            try readRow(&reader, into: &table, path: path)
        }
    }

    private static func readRow(_ reader: inout JSONScanner, into table: inout TableBuilder, path: String?) throws {
        guard reader.peek == UInt8(ascii: "{") else {
            let start = reader.position
            let value = try reader.readValue(as: DatasetValue.self, depth: 1)
            let place = reader.location(of: start)
            throw DatasetError.rowIsNotAnObject(SourceLocation(path: path, line: place.line, column: place.column),
                                                found: kindName(value))
        }
        try reader.expect(UInt8(ascii: "{"), "'{'")
        var row = DatasetRow()
        var isFirst = true
        while let key = try reader.nextKey(isFirst: &isFirst) {
            row.cells[key] = try reader.readValue(as: DatasetValue.self, depth: 2)
            table.noteColumn(key)
        }
        table.rows.append(row)
    }

    static func parseJSONLines(_ bytes: UnsafeBufferPointer<UInt8>, path: String?) throws -> Dataset {
        var reader = JSONScanner(bytes: bytes)
        var table = TableBuilder()
        var lineStart = reader.position
        do {
            while lineStart < bytes.count, let base = bytes.baseAddress {
                let lineEnd = memchr(base + lineStart, 0x0A, bytes.count - lineStart)
                    .map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? bytes.count
                reader.seek(to: lineStart, end: lineEnd)
                reader.skipWhitespace()
                if !reader.isAtEnd {
                    try readRow(&reader, into: &table, path: path)
                    reader.skipWhitespace()
                    guard reader.isAtEnd else {
                        throw reader.error("unexpected \(reader.describePeek()) after the row object; put one object per line")
                    }
                }
                lineStart = lineEnd + 1
            }
        } catch let error as JSONParseError {
            throw DatasetError.malformedJSONLines(location(of: error, path: path), reason: error.reason)
        }
        return table.dataset
    }

    private static func location(of error: JSONParseError, path: String?) -> SourceLocation {
        SourceLocation(path: path, line: error.line, column: error.column)
    }

    static func kindName(_ value: DatasetValue) -> String {
        switch value {
        case .string: return "a string"
        case .int, .double: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Maps a whole file into memory and hands its bytes to `body`.
    static func withFileBytes<T>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw DatasetError.fileNotFound(path: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw DatasetError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        return try data.withUnsafeBytes { raw in try body(raw.bindMemory(to: UInt8.self)) }
    }
}

/// Collects rows and the order in which their columns first appear.
struct TableBuilder {
    var rows: [DatasetRow] = []
    private var columns: [String] = []
    private var known: Set<String> = []

    mutating func noteColumn(_ name: String) {
        if known.insert(name).inserted { columns.append(name) }
    }

    var dataset: Dataset { Dataset(rows: rows, exactColumns: columns) }
}
