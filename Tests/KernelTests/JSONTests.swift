import Kernel
import TextFormats
import XCTest

final class JSONTests: XCTestCase {
    func testRoundTripOfEveryKind() throws {
        let value: JSONValue = [
            "null": nil, "yes": true, "n": 42, "x": 1.5, "big": 12345678901234, "neg": -3,
            "text": "quote \" backslash \\ newline \n tab \t bell \u{7} é 😀",
            "list": [1, "two", [3.25], [:]], "empty": [],
        ]
        let text = JSONWriter().string(value)
        XCTAssertEqual(try JSONParser.parse(text), value)
        let pretty = JSONWriter(indent: 1, sortedKeys: true).string(value)
        XCTAssertEqual(try JSONParser.parse(pretty), value)
        XCTAssertTrue(pretty.hasPrefix("{\n \"big\""))
    }

    func testNonFiniteNumbersBecomeNull() {
        let text = JSONWriter().string(["a": .double(.nan), "b": .double(-.infinity), "c": .double(2)])
        XCTAssertFalse(text.lowercased().contains("nan") || text.lowercased().contains("inf"), text)
        XCTAssertEqual(try JSONParser.parse(text), ["a": nil, "b": nil, "c": .double(2)])
    }

    func testEscapesAndSurrogatePairs() throws {
        XCTAssertEqual(try JSONParser.parse(#""\u00e9\ud83d\ude00\/\b""#), .string("é😀/\u{8}"))
    }

    func testInvalidDocumentsAreRejected() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"open", "NaN", "1 2", "{\"a\":1,}", "-", "\"\u{1}\""] {
            XCTAssertThrowsError(try JSONParser.parse(text), text)
        }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        XCTAssertThrowsError(try JSONParser.parse(deep))
    }
}
