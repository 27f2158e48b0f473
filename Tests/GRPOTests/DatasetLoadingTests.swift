import Foundation
import GRPO
import XCTest

final class DatasetLoadingTests: XCTestCase {
    func testJSONArrayKeepsColumnOrderAndTypes() throws {
        let data = try Dataset.json(text: """
        [{"Question": "Q1", "n": 3, "x": 2.5, "ok": true, "none": null, "tags": ["a", "b"], "meta": {"k": -7}},
         {"Question": "Q2 \\"quoted\\"\\n\\u00e9\\ud83d\\ude00", "n": -12, "x": 1e3, "ok": false}]
        """)
        XCTAssertEqual(data.count, 2)
        XCTAssertEqual(data.columns, ["Question", "n", "x", "ok", "none", "tags", "meta"])
        XCTAssertEqual(data[0]["n"], .int(3))
        XCTAssertEqual(data[0]["x"], .double(2.5))
        XCTAssertEqual(data[0]["ok"], .bool(true))
        XCTAssertEqual(data[0]["none"], .null)
        XCTAssertEqual(data[0]["tags"], ["a", "b"])
        XCTAssertEqual(data[0]["meta"]["k"], .int(-7))
        XCTAssertEqual(data[1]["Question"].stringValue, "Q2 \"quoted\"\né😀")
        XCTAssertEqual(data[1]["x"], .double(1000))
        XCTAssertEqual(data[1]["tags"], .null, "a missing cell reads as null")
    }

    func testJSONObjectWithField() throws {
        let text = #"{"version": 2, "train": [{"a": 1}, {"a": 2, "b": "x"}], "test": [{"a": 3}]}"#
        let train = try Dataset.json(text: text, field: "train")
        XCTAssertEqual(train.count, 2)
        XCTAssertEqual(train.columns, ["a", "b"])
        XCTAssertEqual(try Dataset.json(text: text, field: "test")[0]["a"], .int(3))
        XCTAssertThrowsError(try Dataset.json(text: text, field: "validation")) { error in
            guard case DatasetError.missingField(_, "validation", let available) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(available, ["version", "train", "test"])
        }
        XCTAssertThrowsError(try Dataset.json(text: text)) { error in
            XCTAssertTrue("\(error)".contains("test, train"), "\(error)")
        }
    }

    func testMalformedJSONNamesLineAndColumn() {
        let cases: [(String, Int, Int, String)] = [
            ("[\n  {\"a\": 1},\n  {\"a\": 2,}\n]", 3, 11, "trailing comma"),
            ("[\n{\"a\": 1}\n{\"a\": 2}]", 3, 1, "expected ',' or ']'"),
            ("[{\"a\": \"unterminated}]", 1, 8, "unterminated string"),
            ("[{\"a\": tru}]", 1, 8, "expected 'true'"),
            ("[{\"a\": 01}]", 1, 8, "leading zeros"),
            ("[{a: 1}]", 1, 3, "field name in double quotes"),
            ("[{\"a\": 1}] x", 1, 12, "after the end"),
            ("[{\"a\": \"\\q\"}]", 1, 9, "invalid escape"),
        ]
        for (text, line, column, reason) in cases {
            XCTAssertThrowsError(try Dataset.json(text: text), text) { error in
                guard case DatasetError.malformedJSON(let location, let message) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(location.line, line, text)
                XCTAssertEqual(location.column, column, text)
                XCTAssertTrue(message.contains(reason), "\(message) for \(text)")
                XCTAssertTrue("\(error)".contains("Fix the file"), "the message says what to do")
            }
        }
    }

    func testEmptyInputs() throws {
        XCTAssertEqual(try Dataset.json(text: " [ ] ").count, 0)
        XCTAssertEqual(try Dataset.jsonl(text: "\n\n").count, 0)
        XCTAssertEqual(try Dataset.csv(text: "").count, 0)
        XCTAssertEqual(try Dataset.csv(text: "a,b\n").columns, ["a", "b"])
        XCTAssertThrowsError(try Dataset.json(text: "")) { error in
            XCTAssertTrue("\(error)".contains("unexpected end of input"), "\(error)")
        }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        XCTAssertThrowsError(try Dataset.json(text: "[{\"a\": \(deep)}]")) { error in
            XCTAssertTrue("\(error)".contains("nested more than"), "\(error)")
        }
    }

    func testRowsMustBeObjects() {
        XCTAssertThrowsError(try Dataset.json(text: "[{\"a\": 1},\n 5]")) { error in
            guard case DatasetError.rowIsNotAnObject(let location, "a number") = error else { return XCTFail("\(error)") }
            XCTAssertEqual(location.line, 2)
        }
    }

    func testJSONLines() throws {
        let data = try Dataset.jsonl(text: "{\"q\": \"a\", \"n\": 1}\r\n\n{\"q\": \"b\", \"extra\": [1, 2]}\n")
        XCTAssertEqual(data.count, 2)
        XCTAssertEqual(data.columns, ["q", "n", "extra"])
        XCTAssertEqual(data[1]["extra"], [1, 2])
        XCTAssertThrowsError(try Dataset.jsonl(text: "{\"q\": 1}\n{\"q\": 2} {\"q\": 3}\n")) { error in
            guard case DatasetError.malformedJSONLines(let location, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(location.line, 2)
            XCTAssertEqual(location.column, 10)
        }
        XCTAssertThrowsError(try Dataset.jsonl(text: "{\"q\": 1}\n{\"q\": 2\n")) { error in
            guard case DatasetError.malformedJSONLines(let location, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(location.line, 2)
        }
    }

    func testCSVFollowsRFC4180() throws {
        let text = "name,note,score\r\n\"Smith, J\",\"said \"\"hi\"\"\r\nthen left\",7\r\nLee,,3.5\r\n"
        let data = try Dataset.csv(text: text)
        XCTAssertEqual(data.columns, ["name", "note", "score"])
        XCTAssertEqual(data.count, 2)
        XCTAssertEqual(data[0]["name"], "Smith, J")
        XCTAssertEqual(data[0]["note"], "said \"hi\"\r\nthen left")
        XCTAssertEqual(data[0]["score"], "7", "numbers stay strings unless asked")
        XCTAssertEqual(data[1]["note"], "")
        let typed = try Dataset.csv(text: text, inferTypes: true)
        XCTAssertEqual(typed[0]["score"], .int(7))
        XCTAssertEqual(typed[1]["score"], .double(3.5))
        XCTAssertEqual(typed[1]["note"], .null)
        XCTAssertEqual(try Dataset.csv(text: "a;b\n1;2", separator: ";")[0]["b"], "2")
    }

    func testMalformedCSVNamesLine() {
        let cases: [(String, Int, String)] = [
            ("a,b\n1,2\n3\n", 3, "has 1 fields but the header has 2"),
            ("a,b\n1,\"open\n2,3\n", 2, "never closed"),
            ("a,b\n1,x\"y\n", 2, "quote inside an unquoted field"),
            ("a,b\n\"x\"y,1\n", 2, "after a closing quote"),
            ("a,a\n1,2\n", 1, "twice"),
        ]
        for (text, line, reason) in cases {
            XCTAssertThrowsError(try Dataset.csv(text: text), text) { error in
                guard case DatasetError.malformedCSV(let location, let message) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(location.line, line, text)
                XCTAssertTrue(message.contains(reason), "\(message) for \(text)")
            }
        }
    }

    func testLoadFromPathByExtension() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grpo-datasets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.appendingPathComponent("rows.json").path
        let jsonl = folder.appendingPathComponent("rows.jsonl").path
        let csv = folder.appendingPathComponent("rows.csv").path
        try "[{\"a\": 1}]".write(toFile: json, atomically: true, encoding: .utf8)
        try "{\"a\": 1}\n{\"a\": 2}\n".write(toFile: jsonl, atomically: true, encoding: .utf8)
        try "a\n1\n2\n3\n".write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Dataset.load(json).count, 1)
        XCTAssertEqual(try Dataset.load(jsonl).count, 2)
        XCTAssertEqual(try Dataset.load(csv).count, 3)
        XCTAssertThrowsError(try Dataset.load(folder.appendingPathComponent("missing.json").path)) { error in
            guard case DatasetError.fileNotFound = error else { return XCTFail("\(error)") }
        }
        let written = Dataset([["q": "line\nbreak \"quoted\" é", "n": 2, "x": 0.5, "tags": ["a"], "none": nil]])
        try written.write(to: jsonl)
        XCTAssertEqual(try Dataset.jsonl(jsonl).rows, written.rows)
        try written.write(to: json)
        XCTAssertEqual(try Dataset.json(json).rows, written.rows)
        try "[{\"a\": 1},\n{\"a\" 2}]".write(toFile: json, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Dataset.json(json)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(json):2:6: malformed JSON"), "\(error)")
        }
    }
}
