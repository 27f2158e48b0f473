import Foundation

/// Reading JSON-lines requests from stdin and writing JSON-lines answers to stdout.
enum JSONLines {
    /// Calls `body` with each non-blank stdin line parsed as a JSON object and its line number.
    static func forEachObject(_ body: ([String: Any], Int) throws -> Void) throws {
        var lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
            guard let record = object as? [String: Any] else { throw JSONLinesError.notAnObject(line: lineNumber) }
            try body(record, lineNumber)
        }
    }

    /// Writes `object` as one line of JSON (keys sorted; never NaN or infinity).
    static func write(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// The field `key` of a request line, or an error naming the line.
    static func field<T>(_ key: String, of record: [String: Any], line: Int, as type: T.Type, example: String) throws -> T {
        guard let value = record[key] as? T else { throw JSONLinesError.missingField(key, line: line, example: example) }
        return value
    }
}

/// A stdin line a JSON-lines command cannot read.
enum JSONLinesError: Error, CustomStringConvertible {
    case notAnObject(line: Int)
    case missingField(String, line: Int, example: String)

    var description: String {
        switch self {
        case let .notAnObject(line):
            return "stdin line \(line) is not a JSON object; write one JSON object per line."
        case let .missingField(field, line, example):
            return "stdin line \(line) has no usable \"\(field)\"; write lines like \(example)."
        }
    }
}
