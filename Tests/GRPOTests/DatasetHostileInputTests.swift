import Foundation
import GRPO
import XCTest

/// Issue #19's dataset findings: a device passed as a dataset file, and rows of any width.
final class DatasetHostileInputTests: XCTestCase {
    /// /dev/zero was reported as a permission problem.
    func testADeviceIsReportedAsNotARegularFile() {
        XCTAssertThrowsError(try Dataset.json("/dev/zero")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("a character device, not a regular file"), message)
            XCTAssertFalse(message.contains("permission"), message)
        }
        XCTAssertThrowsError(try Dataset.csv("/dev/zero")) { error in
            XCTAssertTrue(String(describing: error).contains("a character device"), "\(error)")
        }
    }

    /// A row 100,000 columns wide (the case took minutes to become a dictionary; the
    /// time is in `swift-grpo bench`-style measurements in RELIABILITY.md, not asserted here).
    func testVeryWideRowsKeepEveryCell() throws {
        let width = 100_000
        var cells: [String: DatasetValue] = [:]
        for column in 0..<width { cells["c\(column)"] = .int(column) }
        let dataset = Dataset([cells, ["c7": .string("x"), "extra": .bool(true)]])
        XCTAssertEqual(dataset.columns.count, width + 1)

        let batch = try RewardBatch(completions: ["a", "b"], rows: dataset.rows)
        XCTAssertEqual(batch.columns.count, width + 1)
        XCTAssertEqual(try batch.values("c99999"), [.int(99_999), .null])
        XCTAssertEqual(try batch.values("c7"), [.int(7), .string("x")])
        XCTAssertEqual(try batch.values("extra"), [.null, .bool(true)])

        let selected = try dataset.selectColumns((0..<width).reversed().map { "c\($0)" })
        XCTAssertEqual(selected.columns.first, "c99999")
        XCTAssertEqual(selected[1].cells, ["c7": .string("x")])
        let removed = try dataset.removeColumns((0..<width).map { "c\($0)" })
        XCTAssertEqual(removed.columns, ["extra"])
        XCTAssertThrowsError(try dataset.selectColumns(["c1", "missing"])) { error in
            guard case .missingColumn("missing", _)? = error as? DatasetError else { return XCTFail("\(error)") }
        }
    }
}
