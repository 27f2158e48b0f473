import TextFormats
import XCTest

final class JSONParserTests: XCTestCase {
    func testIntegersStayExactAndOtherNumbersAreDoubles() throws {
        XCTAssertEqual(try JSONParser.parse("1234567890123456789"), .int(1_234_567_890_123_456_789))
        XCTAssertEqual(try JSONParser.parse("-9223372036854775808"), .int(Int.min))
        XCTAssertEqual(try JSONParser.parse("12345678901234567890"), .double(12_345_678_901_234_567_890))
        XCTAssertEqual(try JSONParser.parse("[2.0, 1e3, -0.5]"), [.double(2), .double(1000), .double(-0.5)])
        XCTAssertThrowsError(try JSONParser.parse("1e999"))
    }

    func testErrorsGiveLineAndColumn() {
        XCTAssertThrowsError(try JSONParser.parse("{\n  \"a\": 1,\n  \"b\": tru\n}")) { error in
            let failure = error as? JSONParseError
            XCTAssertEqual(failure?.line, 3)
            XCTAssertEqual(failure?.column, 8)
            XCTAssertEqual(failure?.description.hasPrefix("invalid JSON at line 3, column 8:"), true, "\(error)")
        }
        XCTAssertThrowsError(try JSONParser.parse("[1, 2,]")) { error in
            XCTAssertEqual((error as? JSONParseError)?.reason, "a trailing comma before ']' is not allowed in JSON")
        }
    }

    func testObjectsArriveInTextOrder() throws {
        struct Keys: JSONTree {
            var order: [String] = []
            static var jsonNull: Keys { Keys() }
            static func jsonBool(_ value: Bool) -> Keys { Keys() }
            static func jsonInt(_ value: Int) -> Keys { Keys() }
            static func jsonDouble(_ value: Double) -> Keys { Keys() }
            static func jsonString(_ value: String) -> Keys { Keys() }
            static func jsonArray(_ elements: [Keys]) -> Keys { Keys(order: elements.flatMap(\.order)) }
            static func jsonObject(_ members: [(key: String, value: Keys)]) -> Keys {
                Keys(order: members.flatMap { [$0.key] + $0.value.order })
            }
        }
        let keys = try JSONParser.parse(#"{"z": 1, "a": {"y": [], "b": null}, "m": [{"k": 0}]}"#, as: Keys.self)
        XCTAssertEqual(keys.order, ["z", "a", "y", "b", "m", "k"])
    }

    func testWriterLayouts() {
        let value: JSONValue = ["b": [1, 2.5, "x"], "a": [:]]
        XCTAssertEqual(JSONWriter(sortedKeys: true).string(value), #"{"a":{},"b":[1,2.5,"x"]}"#)
        XCTAssertEqual(JSONWriter(indent: 2, sortedKeys: true).string(value), "{\n  \"a\": {},\n  \"b\": [\n    1,\n    2.5,\n    \"x\"\n  ]\n}")
        let python = JSONWriter(indentUnit: nil, itemSeparator: ", ", keySeparator: ": ", sortedKeys: true)
        XCTAssertEqual(python.string(value), #"{"a": {}, "b": [1, 2.5, "x"]}"#)
        XCTAssertEqual(JSONWriter().string([.double(3), .double(.infinity)]), "[3.0,null]")
    }
}
