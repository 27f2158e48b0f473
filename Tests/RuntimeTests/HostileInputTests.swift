import Runtime
import XCTest

/// Issue #19's small findings in the cell language: each was a trap, a misleading message or a
/// silent acceptance, and is now an error that says what happened.
final class HostileInputTests: XCTestCase {
    private func error(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> CellError? {
        let outcome = TestSession().run(code)
        XCTAssertNotNil(outcome.error, "expected an error", file: file, line: line)
        return outcome.error
    }

    func testDictionaryLiteralWithADuplicateKeyIsAnError() {
        // Swift traps on this at run time; here it is an error naming the key.
        let message = error(#"let d = ["a": 1, "b": 2, "a": 3]"#)?.message ?? ""
        XCTAssertTrue(message.contains("duplicate keys"), message)
        XCTAssertTrue(message.contains("\"a\""), message)
        XCTAssertNotNil(error("let d = [1: \"x\", 1: \"y\"]"))
        XCTAssertEqual(TestSession().run(#"let d = ["a": 1, "b": 2]; print(d["b"]!)"#).stdout, "2\n")
    }

    func testRepeatedStringErrorSaysTheLimit() {
        let message = error(#"let s = String(repeating: "ab", count: 6_000_000)"#)?.message ?? ""
        XCTAssertTrue(message.contains("10000000"), message)
        XCTAssertTrue(message.contains("12000000"), message)
        // 2 × (2^62 + 1) wraps to 2 in 64 bits: the old check passed it on to a hopeless allocation.
        let wrapped = error(#"let s = String(repeating: "ab", count: 4611686018427387905)"#)?.message ?? ""
        XCTAssertTrue(wrapped.contains("too long"), wrapped)
    }

    /// A dataset row 100,000 columns wide turned into a dictionary in quadratic time (minutes):
    /// at that width a quadratic conversion would not finish within the test run at all.
    func testAVeryWideDatasetRowBecomesADictionary() throws {
        let width = 100_000
        let row = "{" + (0..<width).map { "\"c\($0)\": \($0)" }.joined(separator: ", ") + "}"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wide-\(UUID().uuidString).jsonl")
        try Data((row + "\n{\"c5\": -5}\n").utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let outcome = TestSession().run("""
        let d = try Dataset.jsonl("\(url.path)")
        let first = d[0]
        let second = d[1]
        print(first.count, first["c99999"]!, second.count, second["c5"]!)
        """)
        XCTAssertNil(outcome.error, outcome.error?.description ?? "")
        XCTAssertEqual(outcome.stdout, "100000 99999 1 -5\n")
    }
}
