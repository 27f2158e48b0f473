import Foundation
import GRPO
import LLM
import XCTest

/// Guided rollouts: some of each group's completions are sampled from a guide prompt and kept
/// as completions of the row's own prompt.
final class GuidedRolloutTests: XCTestCase {
    private func dataset() -> Dataset {
        Dataset((1...8).map { i in
            ["prompt": .string("Q\(i)?"), "guide": .string("Example: Q0? A0. Now Q\(i)?"), "answer": .string("\(i)")]
        })
    }

    private func config(guided: Int) -> GRPOConfig {
        var config = TrainerTestSupport.tinyConfig("guided", steps: 2)
        config.guidePromptColumn = "guide"
        config.guidedGenerations = guided
        return config
    }

    func testGuidedSamplesKeepTheRowsPromptAndRecordTheirGuide() throws {
        let model = try TrainerTestSupport.tinyModel()
        let trainer = try GRPOTrainer(model: model, rewards: [TrainerTestSupport.vowelShare], config: config(guided: 1),
                                      dataset: dataset(), lora: LoRAConfig(rank: 4, alpha: 8, seed: 1))
        let buffer = try XCTUnwrap(try trainer.makeRolloutBuffer())
        let groups = Dictionary(grouping: buffer.samples, by: \.datasetIndex)
        XCTAssertEqual(groups.count, 2)
        for (index, group) in groups {
            XCTAssertEqual(group.count, 4)
            let row = dataset()[index]
            XCTAssertEqual(group.filter { $0.guidePrompt != nil }.count, 1, "one guided completion of G = 4")
            for sample in group {
                XCTAssertEqual(sample.prompt, row["prompt"].text, "trained as a completion of the row's own prompt")
                XCTAssertEqual(sample.promptTokens, trainer.rollout.promptTokens(row["prompt"].text, isChat: false))
            }
            XCTAssertEqual(group.compactMap(\.guidePrompt), [row["guide"].text])
        }
        XCTAssertNotNil(buffer.metrics["guidance/reward_guided"])
        XCTAssertNotNil(buffer.metrics["guidance/reward_own_prompt"])
        XCTAssertNotNil(try trainer.step(), "a guided batch trains like any other")
    }

    func testConfigAndDatasetErrorsNameTheFix() throws {
        var tooMany = config(guided: 4)
        XCTAssertThrowsError(try tooMany.validate()) { error in
            XCTAssertEqual((error as? GRPOConfigError)?.fields, ["guidedGenerations", "numGenerations"])
            XCTAssertTrue("\(error)".contains("use 0 up to 3"), "\(error)")
        }
        tooMany.guidedGenerations = 2
        tooMany.guidePromptColumn = nil
        XCTAssertThrowsError(try tooMany.validate()) { error in
            XCTAssertTrue("\(error)".contains("no guidePromptColumn"), "\(error)")
        }
        let model = try TrainerTestSupport.tinyModel()
        let withoutGuides = Dataset(dataset().rows.map { row in ["prompt": row["prompt"], "answer": row["answer"]] })
        XCTAssertThrowsError(try GRPOTrainer(model: model, rewards: [TrainerTestSupport.vowelShare], config: config(guided: 2),
                                             dataset: withoutGuides)) { error in
            XCTAssertTrue("\(error)".contains("guide prompt column \"guide\""), "\(error)")
        }
    }

    func testJobFilesTakeTheGuideFields() throws {
        let config = try JSONDecoder().decode(GRPOConfig.self, from: Data(#"{"guidePromptColumn": "guide", "guidedGenerations": 3}"#.utf8))
        XCTAssertEqual(config.guidePromptColumn, "guide")
        XCTAssertEqual(config.guidedGenerations, 3)
        let back = try JSONDecoder().decode(GRPOConfig.self, from: JSONEncoder().encode(config))
        XCTAssertEqual(back.guidedGenerations, 3)
    }
}
