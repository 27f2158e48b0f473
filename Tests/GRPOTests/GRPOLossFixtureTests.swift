import Foundation
import GRPO
import XCTest

/// Every case of `grpo_loss.json` (TRL 1.16's own numbers) through `Advantages.compute` and
/// `policyLoss`, the path the trainer calls.
final class GRPOLossFixtureTests: XCTestCase {
    static var fixtureURL: URL {
        let environment = ProcessInfo.processInfo.environment["SWIFT_GRPO_FIXTURES"] ?? ""
        let root = environment.isEmpty
            ? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("../shared/fixtures").standardizedFileURL
            : URL(fileURLWithPath: environment)
        return root.appendingPathComponent("grpo_loss.json")
    }

    static func cases() throws -> [[String: Any]] {
        let data = try Data(contentsOf: fixtureURL)
        let top = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try XCTUnwrap(top["cases"] as? [[String: Any]])
    }

    func testEveryFixtureCaseMatchesTRL() throws {
        let cases = try Self.cases()
        XCTAssertEqual(cases.count, 8)
        for fixture in cases {
            let name = fixture["name"] as? String ?? "?"
            let outputs = try XCTUnwrap(fixture["outputs"] as? [String: Any])
            let result = try TRLLossCase(json: fixture).evaluate()

            let advantages = try XCTUnwrap(outputs["advantages"] as? [Double])
            XCTAssertEqual(result.advantages.count, advantages.count, name)
            for (mine, theirs) in zip(result.advantages, advantages) { XCTAssertEqual(mine, theirs, accuracy: 1e-5, "\(name) advantage") }
            let rewards = try XCTUnwrap(outputs["rewards"] as? [Double])
            for (mine, theirs) in zip(result.rewards, rewards) { XCTAssertEqual(mine, theirs, accuracy: 1e-5, "\(name) reward") }
            XCTAssertEqual(result.numItemsInBatch, try XCTUnwrap(outputs["num_items_in_batch"] as? Double), name)

            let loss = try XCTUnwrap(outputs["loss"] as? Double)
            XCTAssertLessThanOrEqual(abs(result.loss - loss), max(1e-6, 1e-5 * abs(loss)), "\(name) loss \(result.loss) vs \(loss)")

            let gradient = try XCTUnwrap(outputs["grad_logp"] as? [[Double]])
            XCTAssertEqual(result.gradient.count, gradient.count, name)
            for (row, (mine, theirs)) in zip(result.gradient, gradient).enumerated() {
                XCTAssertEqual(mine.count, theirs.count, name)
                for (slot, (a, b)) in zip(mine, theirs).enumerated() {
                    XCTAssertEqual(a, b, accuracy: 1e-6, "\(name) grad_logp[\(row)][\(slot)]")
                }
            }

            let metrics = try XCTUnwrap(outputs["metrics"] as? [String: Double])
            for (key, expected) in metrics {
                let mine = try XCTUnwrap(result.metrics[key], "\(name) lacks metric \(key)")
                XCTAssertEqual(mine, expected, accuracy: 1e-6, "\(name) metric \(key)")
            }
            for key in result.metrics.keys where metrics[key] == nil {
                XCTFail("\(name): metric \(key) that TRL does not log for this case")
            }
        }
    }
}
