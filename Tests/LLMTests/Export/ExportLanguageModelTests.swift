import Foundation
import LLM
import Tensor
import XCTest

/// The notebook-facing exports on a loaded default model: the adapter alone as a llama.cpp LoRA
/// GGUF, and the error when there is no adapter to export.
final class ExportLanguageModelTests: XCTestCase {
    func testLoRAGGUFOfTheDefaultModel() throws {
        let model: LanguageModel
        do { model = try LanguageModel.load(ModelRegistry.defaultModelName) } catch { throw XCTSkip("run `make models` first: \(error)") }
        let url = try LoRATestSupport.scratchFolder().appendingPathComponent("adapter.gguf")
        XCTAssertThrowsError(try model.saveLoRAGGUF(to: url)) {
            XCTAssertEqual($0 as? ExportError, .noAdapter(model: model.location.reference))
        }
        try model.attachLoRA(LoRAConfig(rank: 2, alpha: 4, targetModules: ["q_proj", "v_proj"], seed: 1))
        try model.saveLoRAGGUF(to: url)
        let file = try GGUFFile(url: url)
        XCTAssertEqual(file.metadata["general.type"]?.string, "adapter")
        XCTAssertEqual(file.tensors.count, 2 * 2 * 30)
        XCTAssertEqual(file.tensorInfo(named: "blk.29.attn_v.weight.lora_b")?.dimensions, [2, 192])
        let merged = try model.mergedModel()
        XCTAssertEqual(merged.mergedNames.count, 60)
        XCTAssertEqual(merged.baseQuantization?.dominantType, .q4_1)
    }
}
