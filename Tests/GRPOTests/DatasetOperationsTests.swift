import Foundation
import GRPO
import XCTest

final class DatasetOperationsTests: XCTestCase {
    let numbers = Dataset((0..<10).map { ["id": .int($0), "text": .string("row \($0)")] }, columns: ["id", "text"])

    func ids(_ data: Dataset) -> [Int] { data.rows.compactMap { $0["id"].intValue } }

    func testCountColumnsHeadSelect() {
        XCTAssertEqual(numbers.count, 10)
        XCTAssertEqual(numbers.columns, ["id", "text"])
        XCTAssertEqual(ids(numbers.head(3)), [0, 1, 2])
        XCTAssertEqual(ids(numbers.head(50)).count, 10)
        XCTAssertEqual(ids(numbers.select(4..<7)), [4, 5, 6])
        XCTAssertEqual(ids(numbers.select(8...20)), [8, 9])
        XCTAssertEqual(numbers.select(12..<20).count, 0)
    }

    func testMapAndFilter() {
        let doubled = numbers.map { row in
            var row = row
            row["double"] = .int((row["id"].intValue ?? 0) * 2)
            return row
        }
        XCTAssertEqual(doubled.columns, ["id", "text", "double"])
        XCTAssertEqual(doubled[3]["double"], .int(6))
        let replaced = numbers.map { ["prompt": $0["text"], "answer": $0["id"]] }
        XCTAssertEqual(replaced.columns, ["answer", "prompt"])
        XCTAssertEqual(ids(numbers.filter { ($0["id"].intValue ?? 0) % 3 == 0 }), [0, 3, 6, 9])
    }

    func testShuffleIsDeterministicPermutation() {
        let a = numbers.shuffled(seed: 42)
        XCTAssertEqual(ids(a), ids(numbers.shuffled(seed: 42)))
        XCTAssertNotEqual(ids(a), ids(numbers.shuffled(seed: 43)))
        XCTAssertNotEqual(ids(a), ids(numbers))
        XCTAssertEqual(ids(a).sorted(), Array(0..<10))
    }

    func testSplitSeedFractionAndDisjointness() throws {
        let (train, test) = try numbers.split(testFraction: 0.2, seed: 7)
        XCTAssertEqual(train.count, 8)
        XCTAssertEqual(test.count, 2)
        XCTAssertEqual(Set(ids(train)).union(ids(test)), Set(0..<10))
        XCTAssertTrue(Set(ids(train)).isDisjoint(with: ids(test)))
        XCTAssertEqual(ids(try numbers.split(testFraction: 0.2, seed: 7).test), ids(test))
        XCTAssertThrowsError(try numbers.split(testFraction: 1.5, seed: 7))
    }

    func testRenameAndRemoveColumns() throws {
        let renamed = try numbers.rename(from: "text", to: "Question")
        XCTAssertEqual(renamed.columns, ["id", "Question"])
        XCTAssertEqual(renamed[1]["Question"], "row 1")
        XCTAssertEqual(renamed[1]["text"], .null)
        XCTAssertThrowsError(try numbers.rename(from: "missing", to: "x")) { error in
            XCTAssertEqual(error as? DatasetError, .missingColumn("missing", available: ["id", "text"]))
        }
        XCTAssertThrowsError(try numbers.rename(from: "id", to: "text"))
        let removed = try numbers.removeColumns(["text"])
        XCTAssertEqual(removed.columns, ["id"])
        XCTAssertFalse(removed[0].has("text"))
        XCTAssertThrowsError(try numbers.removeColumns(["nope"]))
    }

    func testHTMLAndTextTables() {
        let data = Dataset([["Question": "Is 1 < 2 & true?\nYes", "n": 1]], columns: ["Question", "n"])
        let html = data.head(5).html
        XCTAssertTrue(html.hasPrefix("<table"))
        XCTAssertTrue(html.contains("<th>Question</th><th>n</th>"))
        XCTAssertTrue(html.contains("Is 1 &lt; 2 &amp; true?\nYes"))
        XCTAssertTrue(html.contains("1 rows × 2 columns"))
        let text = data.head(5).text.split(separator: "\n").map(String.init)
        XCTAssertEqual(text[0], "  | " + "Question".padding(toLength: 20, withPad: " ", startingAt: 0) + " | n")
        XCTAssertEqual(text[2], "0 | Is 1 < 2 & true?⏎Yes | 1")
        let long = Dataset([["a": .string(String(repeating: "x", count: 300))]])
        XCTAssertTrue(long.html.contains(String(repeating: "x", count: 199) + "…"))
        XCTAssertFalse(long.html.contains(String(repeating: "x", count: 200)))
    }

    func testChatAndTextPrompts() throws {
        let data = Dataset([["Question": "What is 2+2?", "Response": "4"]], columns: ["Question", "Response"])
        let chat = try data.chatPrompt(system: "Answer in <answer> tags.", userColumn: "Question")
        XCTAssertEqual(chat.columns, ["Question", "Response", "prompt"])
        XCTAssertEqual(chat[0]["prompt"], [
            ["role": "system", "content": "Answer in <answer> tags."],
            ["role": "user", "content": "What is 2+2?"],
        ])
        XCTAssertEqual(Dataset.chatMessages(system: "", user: "Hi"), [["role": "user", "content": "Hi"]])
        let text = try data.textPrompt(template: "Q: {Question} {{literal}}\nA:", into: "text")
        XCTAssertEqual(text[0]["text"], "Q: What is 2+2? {literal}\nA:")
        XCTAssertThrowsError(try data.textPrompt(template: "{Missing}"))
        XCTAssertThrowsError(try data.textPrompt(template: "{Question"))
        XCTAssertThrowsError(try data.chatPrompt(system: "", userColumn: "question"))
    }

    func testPromptLengthFilterReportsDropped() throws {
        let data = try Dataset(["a", "bb bb", "ccc ccc ccc", "d"].map { ["Question": .string($0)] })
            .chatPrompt(system: "sys", userColumn: "Question")
        // Length = words of every message's content (a stand-in for a tokenizer).
        let result = try data.filterPromptLength(maxLength: 3) { prompt in
            (prompt.arrayValue ?? []).reduce(0) { $0 + $1["content"].text.split(separator: " ").count }
        }
        XCTAssertEqual(result.dropped, 1)
        XCTAssertEqual(result.kept.count, 3)
        XCTAssertEqual(result.longest, 4)
        XCTAssertEqual(result.kept.rows.map { $0["Question"].text }, ["a", "bb bb", "d"])
        XCTAssertThrowsError(try data.filterPromptLength(maxLength: 3, column: "missing") { _ in 0 })
    }
}
