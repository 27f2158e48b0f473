import Foundation
@testable import LLM
import Tensor
import XCTest

/// Attaching, disabling and swapping adapters on the tiny models.
final class LoRAAttachTests: XCTestCase {
    static let families = ["llama", "qwen2", "phi3", "gemma3"]

    func testZeroBLeavesLogitsBitIdentical() throws {
        for family in Self.families {
            let model = try LoRATestSupport.tinyModel(family)
            let base = try LoRATestSupport.logits(model)
            let adapter = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 4, alpha: 8, seed: 3))
            try model.attach(adapter)
            XCTAssertTrue(model.isAdapterEnabled)
            XCTAssertEqual(try LoRATestSupport.logits(model), base, "\(family): B = 0 must not change a single bit")
        }
    }

    func testEnableDisableSwapAndDetach() throws {
        let model = try LoRATestSupport.tinyModel("llama")
        let base = try LoRATestSupport.logits(model)
        let first = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 4, seed: 1))
        let second = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 2, targetModules: ["q_proj", "v_proj"], seed: 2))
        LoRATestSupport.randomizeB(first, seed: 11)
        LoRATestSupport.randomizeB(second, seed: 12)

        try model.attach(first)
        let adaptedFirst = try LoRATestSupport.logits(model)
        XCTAssertNotEqual(adaptedFirst, base)
        XCTAssertEqual(try model.withAdapterDisabled { try LoRATestSupport.logits(model) }, base)
        XCTAssertTrue(model.isAdapterEnabled, "withAdapterDisabled restores the previous state")
        model.isAdapterEnabled = false
        XCTAssertEqual(try LoRATestSupport.logits(model), base)
        model.isAdapterEnabled = true
        XCTAssertEqual(try LoRATestSupport.logits(model), adaptedFirst)

        try model.attach(second)
        XCTAssertTrue(model.attachedAdapter === second)
        let adaptedSecond = try LoRATestSupport.logits(model)
        XCTAssertNotEqual(adaptedSecond, adaptedFirst)
        XCTAssertNotEqual(adaptedSecond, base)
        try model.attach(first)
        XCTAssertEqual(try LoRATestSupport.logits(model), adaptedFirst, "swapping back gives the first adapter's logits")

        model.detachAdapter()
        XCTAssertNil(model.attachedAdapter)
        XCTAssertFalse(model.isAdapterEnabled)
        XCTAssertEqual(try LoRATestSupport.logits(model), base)
    }
}
