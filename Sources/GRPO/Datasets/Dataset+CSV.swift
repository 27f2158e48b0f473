import Foundation

extension Dataset {
    /// Loads an RFC 4180 CSV file whose first record names the columns.
    ///
    /// Cells stay strings unless `inferTypes` is set; then integers, decimals, `true`/`false`
    /// become numbers and booleans and empty cells become `.null`.
    public static func csv(_ path: String, inferTypes: Bool = false, separator: Unicode.Scalar = ",") throws -> Dataset {
        try withFileBytes(path) { try parseCSV($0, path: path, inferTypes: inferTypes, separator: separator) }
    }

    /// Parses RFC 4180 CSV text whose first record names the columns.
    public static func csv(text: String, inferTypes: Bool = false, separator: Unicode.Scalar = ",") throws -> Dataset {
        var text = text
        return try text.withUTF8 { try parseCSV($0, path: nil, inferTypes: inferTypes, separator: separator) }
    }

    static func parseCSV(_ bytes: UnsafeBufferPointer<UInt8>, path: String?, inferTypes: Bool,
                         separator: Unicode.Scalar) throws -> Dataset {
        guard separator.isASCII, separator != "\"", separator != "\n", separator != "\r" else {
            throw DatasetError.invalidArgument("The CSV separator must be one ASCII character other than a quote or a line break; got '\(separator)'.")
        }
        var reader = CSVReader(bytes: bytes, path: path, separator: UInt8(separator.value))
        guard let header = try reader.nextRecord() else { return Dataset(rows: [], exactColumns: []) }
        var seen = Set<String>()
        for name in header.fields where !seen.insert(name).inserted {
            throw DatasetError.malformedCSV(SourceLocation(path: path, line: header.line, column: 1),
                                            reason: "the header names the column '\(name)' twice")
        }
        var rows: [DatasetRow] = []
        while let record = try reader.nextRecord() {
            guard record.fields.count == header.fields.count else {
                throw DatasetError.malformedCSV(SourceLocation(path: path, line: record.line, column: 1),
                    reason: "this record has \(record.fields.count) fields but the header has \(header.fields.count)")
            }
            var row = DatasetRow()
            for (name, field) in zip(header.fields, record.fields) {
                row.cells[name] = inferTypes ? inferValue(field) : .string(field)
            }
            rows.append(row)
        }
        return Dataset(rows: rows, exactColumns: header.fields)
    }

    static func inferValue(_ field: String) -> DatasetValue {
        if field.isEmpty { return .null }
        if field == "true" { return .bool(true) }
        if field == "false" { return .bool(false) }
        if let integer = Int(field) { return .int(integer) }
        if let first = field.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: ".") || (first >= 0x30 && first <= 0x39),
           let number = Double(field), number.isFinite {
            return .double(number)
        }
        return .string(field)
    }
}

/// Splits RFC 4180 text into records: quoted fields, doubled quotes, quoted line breaks, CRLF.
struct CSVReader {
    struct Record {
        var fields: [String]
        /// The line the record starts on (1-based).
        var line: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let path: String?
    let separator: UInt8
    private var position = 0
    private var line = 1
    private var lineStart = 0
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, path: String?, separator: UInt8) {
        self.bytes = bytes
        self.path = path
        self.separator = separator
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3; lineStart = 3 }
    }

    /// The next record, or nil at the end. Blank lines between records are skipped.
    mutating func nextRecord() throws -> Record? {
        while position < bytes.count, bytes[position] == 0x0A || bytes[position] == 0x0D {
            consumeLineBreak()
        }
        guard position < bytes.count else { return nil }
        let record = Record(fields: [], line: line)
        var fields: [String] = []
        while true {
            fields.append(try readField())
            if position >= bytes.count { break }
            let byte = bytes[position]
            if byte == separator {
                position += 1
                continue
            }
            consumeLineBreak()
            break
        }
        return Record(fields: fields, line: record.line)
    }

    private mutating func consumeLineBreak() {
        if bytes[position] == 0x0D { position += 1 }
        if position < bytes.count, bytes[position] == 0x0A { position += 1 }
        line += 1
        lineStart = position
    }

    private mutating func readField() throws -> String {
        if position < bytes.count, bytes[position] == UInt8(ascii: "\"") { return try readQuotedField() }
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == separator || byte == 0x0A || byte == 0x0D { break }
            if byte == UInt8(ascii: "\"") {
                throw error("a quote inside an unquoted field; wrap the whole field in quotes and double the inner quote (\"\")")
            }
            position += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    private mutating func readQuotedField() throws -> String {
        let openLine = line
        let openColumn = position - lineStart + 1
        position += 1
        scratch.removeAll(keepingCapacity: true)
        var runStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\"") {
                    scratch.append(UInt8(ascii: "\""))
                    position += 2
                    runStart = position
                    continue
                }
                position += 1
                if position < bytes.count {
                    let next = bytes[position]
                    guard next == separator || next == 0x0A || next == 0x0D else {
                        throw error("unexpected character after a closing quote; a quote inside a quoted field must be doubled (\"\")")
                    }
                }
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == 0x0A {
                line += 1
                lineStart = position + 1
            }
            position += 1
        }
        throw DatasetError.malformedCSV(SourceLocation(path: path, line: openLine, column: openColumn),
                                        reason: "a quoted field opened here is never closed")
    }

    private func error(_ reason: String) -> DatasetError {
        .malformedCSV(SourceLocation(path: path, line: line, column: position - lineStart + 1), reason: reason)
    }
}
