import Foundation
import LLM
import Tensor
import XCTest

/// Initialization, targets and the flat parameter buffer.
final class LoRAInitTests: XCTestCase {
    func testKaimingUniformAAndZeroBFromOneSeed() throws {
        let model = try LoRATestSupport.tinyModel("llama")
        let adapter = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 8, seed: 42))
        for projection in adapter.projections {
            let bound = 1 / Float(projection.inFeatures).squareRoot()
            let values = projection.a.scalars
            XCTAssertTrue(values.allSatisfy { abs($0) <= bound }, "\(projection.moduleName): A outside ±1/√in")
            let mean = values.reduce(0, +) / Float(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)
            // U(−b, b): mean 0, variance b²/3; 512+ samples per matrix.
            XCTAssertEqual(mean, 0, accuracy: 0.15 * bound, projection.moduleName)
            XCTAssertEqual(variance, bound * bound / 3, accuracy: 0.2 * bound * bound / 3, projection.moduleName)
            XCTAssertGreaterThan(values.map(abs).max() ?? 0, 0.9 * bound)
            XCTAssertTrue(projection.b.scalars.allSatisfy { $0 == 0 }, "\(projection.moduleName): B must start at zero")
        }
        let again = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 8, seed: 42))
        XCTAssertEqual(again.flatValues.scalars, adapter.flatValues.scalars, "same seed, same values")
        let other = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 8, seed: 43))
        XCTAssertNotEqual(other.flatValues.scalars, adapter.flatValues.scalars, "another seed, other values")
    }

    func testParametersAreViewsIntoOneFlatBuffer() throws {
        let model = try LoRATestSupport.tinyModel("llama")
        let adapter = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 4, seed: 1))
        // 2 layers × 7 projections; hidden 64, kv width 32, intermediate 128.
        XCTAssertEqual(adapter.projections.count, 14)
        let perLayer = 4 * ((64 + 64) + (64 + 32) * 2 + (64 + 64) + (64 + 128) * 2 + (128 + 64))
        XCTAssertEqual(adapter.parameterCount, 2 * perLayer)
        XCTAssertEqual(adapter.parameters.map(\.count).reduce(0, +), adapter.flatValues.count)
        XCTAssertEqual(adapter.parameters.flatMap(\.scalars), adapter.flatValues.scalars, "A, B, A, B … in buffer order")
        XCTAssertTrue(adapter.parameters.allSatisfy { $0.storage === adapter.flatValues.storage && $0.requiresGrad && $0.isLeaf })

        let names = adapter.namedParameters.map(\.name)
        XCTAssertEqual(names.first, "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")
        XCTAssertEqual(names[1], "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight")
        XCTAssertEqual(names.last, "base_model.model.model.layers.1.mlp.down_proj.lora_B.weight")
        let shapes = Dictionary(uniqueKeysWithValues: adapter.namedParameters.map { ($0.name, $0.tensor.shape) })
        XCTAssertEqual(shapes["base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight"], [32, 4])
        XCTAssertEqual(shapes["base_model.model.model.layers.0.mlp.down_proj.lora_A.weight"], [4, 128])

        // Writing the flat buffer is writing the parameters.
        adapter.flatValues.withUnsafeMutableBufferPointer { $0[0] = 123 }
        XCTAssertEqual(adapter.projections[0].a[0, 0], 123)
    }

    func testFlatGradientsCollectEveryParameterGradient() throws {
        let model = try LoRATestSupport.tinyModel("qwen2")
        let adapter = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 2, seed: 3))
        LoRATestSupport.randomizeB(adapter)
        try model.attach(adapter)
        try model.logits(tokens: LoRATestSupport.tokens).sum().backward()
        let separate = adapter.parameters.flatMap { $0.grad?.scalars ?? [] }
        XCTAssertEqual(separate.count, adapter.parameterCount)
        let flat = adapter.flatGradients
        XCTAssertEqual(flat.scalars, separate)
        XCTAssertTrue(flat.scalars.contains { $0 != 0 })
        // Later passes accumulate straight into the flat buffer.
        try model.logits(tokens: LoRATestSupport.tokens).sum().backward()
        XCTAssertEqual(adapter.flatGradients.scalars, separate.map { $0 + $0 })
        adapter.zeroGradients()
        XCTAssertTrue(adapter.flatGradients.scalars.allSatisfy { $0 == 0 })
    }

    func testTargetsSubsetsAndPhi3FusedNames() throws {
        let llama = try LoRATestSupport.tinyModel("llama")
        let subset = try LoRAAdapter.initialized(for: llama, config: LoRAConfig(rank: 2, targetModules: ["v_proj", "q_proj"]))
        XCTAssertEqual(subset.moduleNames, ["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
                                            "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"])
        XCTAssertEqual(subset.config.targetModules, ["v_proj", "q_proj"])
        let oneLayer = try LoRAAdapter.initialized(for: llama, config: LoRAConfig(rank: 2, targetModules: ["layers.1.mlp.down_proj"]))
        XCTAssertEqual(oneLayer.moduleNames, ["model.layers.1.mlp.down_proj"])

        let phi3 = try LoRATestSupport.tinyModel("phi3")
        XCTAssertEqual(phi3.projections.shortNames, ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"])
        let fused = try LoRAAdapter.initialized(for: phi3, config: LoRAConfig(rank: 2))
        XCTAssertEqual(fused.config.targetModules, ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"])
        XCTAssertEqual(fused.moduleNames.count, 8)
        XCTAssertTrue(fused.namedParameters.map(\.name).contains("base_model.model.model.layers.0.self_attn.qkv_proj.lora_A.weight"))
        let qkv = try XCTUnwrap(fused.projections.first { $0.moduleName.hasSuffix("qkv_proj") })
        XCTAssertEqual(qkv.outFeatures, phi3.config.headCount * phi3.config.headDim + 2 * phi3.config.kvHeadCount * phi3.config.headDim)
    }

    func testUnknownTargetsAndBadConfigsAreClearErrors() throws {
        let model = try LoRATestSupport.tinyModel("llama")
        XCTAssertThrowsError(try LoRAAdapter.initialized(for: model, config: LoRAConfig(targetModules: ["q_proj", "qkv_proj", "lm_head"]))) { error in
            XCTAssertEqual(error as? LoRAError, .unknownTargetModules(
                names: ["qkv_proj", "lm_head"],
                available: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
            XCTAssertTrue("\(error)".contains("'lm_head'") && "\(error)".contains("gate_proj"), "\(error)")
        }
        for bad in [LoRAConfig(rank: 0), LoRAConfig(dropout: 1), LoRAConfig(dropout: -0.1), LoRAConfig(targetModules: []),
                    LoRAConfig(alpha: .infinity)] {
            XCTAssertThrowsError(try LoRAAdapter.initialized(for: model, config: bad)) { error in
                guard case .invalidConfig = error as? LoRAError else { return XCTFail("\(error)") }
            }
        }
        // An adapter for another model size does not attach.
        let qwen = try LoRATestSupport.tinyModel("phi3")
        let foreign = try LoRAAdapter.initialized(for: qwen, config: LoRAConfig(rank: 2))
        XCTAssertThrowsError(try model.attach(foreign)) { error in
            guard case .adapterDoesNotFit = error as? LoRAError else { return XCTFail("\(error)") }
        }
        XCTAssertNil(model.attachedAdapter)
    }

    func testDropoutIsSeededAndOnlyWhileTraining() throws {
        let model = try LoRATestSupport.tinyModel("llama")
        let base = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 4, seed: 6))
        LoRATestSupport.randomizeB(base, magnitude: 0.3)
        func adapter(dropout: Double) throws -> LoRAAdapter {
            let made = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 4, dropout: dropout, seed: 6))
            made.flatValues.withUnsafeMutableBufferPointer { target in
                base.flatValues.withUnsafeBufferPointer { _ = target.update(fromContentsOf: $0) }
            }
            return made
        }
        try model.attach(try adapter(dropout: 0))
        let plain = try LoRATestSupport.logits(model)
        let training = try model.logits(tokens: LoRATestSupport.tokens).scalars

        try model.attach(try adapter(dropout: 0.5))
        XCTAssertEqual(try LoRATestSupport.logits(model), plain, "no dropout without gradients (inference)")
        let dropped = try model.logits(tokens: LoRATestSupport.tokens).scalars
        XCTAssertNotEqual(dropped, training, "dropout while training")
        try model.attach(try adapter(dropout: 0.5))
        XCTAssertEqual(try model.logits(tokens: LoRATestSupport.tokens).scalars, dropped, "same seed, same masks")
    }

    /// Recomputation (`Autograd.checkpoint`) replays a projection with the same dropout mask, so
    /// the gradients equal those of the plain pass; the next step draws new masks.
    func testDropoutMasksSurviveRecomputation() throws {
        let (out, inFeatures) = (8, 16)
        var stream = RandomStream(seed: 30)
        let baseValues = Tensor.uniform([out, inFeatures], in: -1...1, using: &stream)
        let x = Tensor.uniform([6, inFeatures], in: -1...1, using: &stream)
        x.requiresGrad = true
        func gradients(checkpointed: Bool) -> [[Float]] {
            let weight = AdaptableWeight(base: DenseWeight(baseValues), moduleName: "m")
            let adapter = LoRAAdapter(config: LoRAConfig(rank: 2, dropout: 0.5, seed: 9),
                                      modules: [(name: "m", outFeatures: out, inFeatures: inFeatures)])
            var fill = RandomStream(seed: 2)
            adapter.flatValues.withUnsafeMutableBufferPointer { v in for i in v.indices { v[i] = 2 * fill.nextUniform() - 1 } }
            weight.lora = adapter.projections[0]
            x.zeroGradient()
            let y = checkpointed ? Autograd.checkpoint([x]) { weight.multiply($0[0]) } : weight.multiply(x)
            (y * y).sum().backward()
            let first = [x.grad!.scalars] + adapter.parameters.map { $0.grad!.scalars }
            // The same input within a step gets the same mask; after zeroGradients, a new one.
            let again = weight.multiply(x).scalars
            XCTAssertEqual(weight.multiply(x).scalars, again)
            adapter.zeroGradients()
            XCTAssertNotEqual(weight.multiply(x).scalars, again)
            return first
        }
        let plain = gradients(checkpointed: false), replayed = gradients(checkpointed: true)
        XCTAssertEqual(plain, replayed)
    }
}
