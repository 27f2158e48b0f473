import Foundation
import GRPO
import XCTest

/// The bundled `data/medical-o1-sample.json`: schema, size, uniqueness and the fixed split.
final class MedicalSampleDataTests: XCTestCase {
    static var samplePath: String {
        // Tests/GRPOTests/<this file> → package root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/medical-o1-sample.json").path
    }

    func testSchemaSizeAndUniqueness() throws {
        let data = try Dataset.json(Self.samplePath)
        XCTAssertGreaterThanOrEqual(data.count, 300)
        XCTAssertEqual(data.columns, ["Question", "Complex_CoT", "Response", "split"])
        var questions = Set<String>()
        for row in data.rows {
            let question = try XCTUnwrap(row["Question"].stringValue)
            let reasoning = try XCTUnwrap(row["Complex_CoT"].stringValue)
            let response = try XCTUnwrap(row["Response"].stringValue)
            XCTAssertTrue(question.count > 15 && reasoning.count > 100 && !response.isEmpty, question)
            XCTAssertTrue(questions.insert(question.lowercased()).inserted, "duplicate question: \(question)")
        }
    }

    func testFixedHeldOutSplit() throws {
        let data = try Dataset.json(Self.samplePath)
        let test = data.filter { $0["split"] == "test" }
        let train = data.filter { $0["split"] == "train" }
        XCTAssertEqual(train.count + test.count, data.count, "every row is train or test")
        XCTAssertEqual(test.count, data.count / 10)
        for (index, row) in data.rows.enumerated() {
            XCTAssertEqual(row["split"].stringValue, index % 10 == 9 ? "test" : "train", "row \(index)")
        }
    }
}
