import Foundation
import GRPO
import XCTest

/// The real medical-o1-reasoning-SFT file (a JSON array of ~90k rows, ~100 MB) must load in
/// under 5 s in a release build. This writes a synthetic file of that shape and size.
final class DatasetLoadingSpeedTests: XCTestCase {
    func testLoadsMedicalO1SizedFileQuickly() throws {
        #if DEBUG
        let rowCount = 2_000      // debug builds only check correctness at this size
        #else
        let rowCount = 90_000
        #endif
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("medical-o1-synthetic-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = try Self.writeSyntheticMedicalO1(rows: rowCount, to: path)

        let start = Date()
        let data = try Dataset.json(path)
        let seconds = Date().timeIntervalSince(start)
        print("medical-o1 synthetic: \(rowCount) rows, \(bytes / 1_000_000) MB, loaded in \(String(format: "%.2f", seconds)) s")

        XCTAssertEqual(data.count, rowCount)
        XCTAssertEqual(data.columns, ["Question", "Complex_CoT", "Response"])
        XCTAssertEqual(data[rowCount - 1]["Question"].stringValue?.hasPrefix("Case \(rowCount - 1):"), true)
        let reasoning = data[7]["Complex_CoT"].stringValue ?? ""
        XCTAssertTrue(reasoning.hasPrefix("\"Okay\", so — β-blockers"))
        XCTAssertTrue(reasoning.contains("inferior wall.\nThe inferior wall"))
        XCTAssertTrue(reasoning.hasSuffix("emergent PCI. 7"))
        #if !DEBUG
        XCTAssertGreaterThan(bytes, 95_000_000)
        XCTAssertLessThan(seconds, 5.0)
        #endif
    }

    /// Writes rows of about 1.1 kB each (escapes, quotes and non-ASCII text included); returns the byte count.
    static func writeSyntheticMedicalO1(rows: Int, to path: String) throws -> Int {
        let question = "A 58-year-old man with a history of hypertension presents with crushing chest pain radiating to the left arm, diaphoresis and nausea for 40 minutes. ECG shows ST elevation in leads II, III and aVF. Which coronary artery is most likely occluded, and what is the next step?"
        let reasoning = #"\"Okay\", so — β-blockers aside, let me think. ST elevation in II, III and aVF points to the inferior wall.\nThe inferior wall is usually supplied by the right coronary artery (right-dominant circulation in ~85%).\nI should check right-sided leads (V4R) for RV involvement, because nitrates could drop the preload.\nThe next step is emergent reperfusion: primary PCI within 90 minutes of first medical contact.\nAspirin 325 mg chewed, a P2Y12 inhibitor and heparin support that. Let me double-check the timing… yes, door-to-balloon ≤ 90 min.\nSo the answer: RCA occlusion; emergent PCI. "#
        let response = "The inferior STEMI pattern (II, III, aVF) indicates occlusion of the right coronary artery. Give aspirin, anticoagulation and a P2Y12 inhibitor, check V4R for right ventricular infarction (avoid nitrates if present), and proceed to emergent primary PCI."
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw DatasetError.unreadableFile(path: path, reason: "could not create the file")
        }
        defer { try? handle.close() }
        var total = 0
        var chunk = "[\n"
        for index in 0..<rows {
            chunk += "  {\n    \"Question\": \"Case \(index): \(question)\",\n    \"Complex_CoT\": \"\(reasoning)\(index)\",\n    \"Response\": \"\(response)\"\n  }"
            chunk += index == rows - 1 ? "\n]\n" : ",\n"
            if chunk.utf8.count > 1 << 20 || index == rows - 1 {
                let data = Data(chunk.utf8)
                total += data.count
                handle.write(data)
                chunk = ""
            }
        }
        return total
    }
}
