import Foundation
import LLM
import Tensor
import XCTest

/// Gradients of A and B (and of the input) against finite differences, through single
/// projections and through whole tiny models; the base stays frozen.
final class LoRAGradientTests: XCTestCase {
    /// loss = Σ w ⊙ logits over the whole tiny model; checks a few scalars of A and B in several
    /// projections of both layers.
    func testWholeModelGradientsOfAAndB() throws {
        for family in ["llama", "qwen2", "phi3", "gemma3"] {
            let model = try LoRATestSupport.tinyModel(family)
            let adapter = try LoRAAdapter.initialized(for: model, config: LoRAConfig(rank: 4, alpha: 8, seed: 5))
            LoRATestSupport.randomizeB(adapter, seed: 9, magnitude: 0.2)
            try model.attach(adapter)
            let tokens = LoRATestSupport.tokens
            let vocabulary = model.config.vocabularySize
            let weights = LoRAGradientCheck.weights(count: tokens.count * vocabulary)
            let weightTensor = Tensor(shape: [tokens.count, vocabulary], scalars: weights)

            adapter.zeroGradients()
            let logits = try model.logits(tokens: tokens)
            (logits * weightTensor).sum().backward()
            func loss() throws -> Double {
                LoRAGradientCheck.weightedSum(try LoRATestSupport.logits(model, tokens), weights)
            }
            let checked = adapter.projections.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
            XCTAssertGreaterThanOrEqual(checked.count, 3)
            for projection in checked {
                try LoRAGradientCheck.compare(projection.a, at: [0, projection.a.count / 2 + 1, projection.a.count - 1],
                                              label: "\(family) \(projection.moduleName) A", loss: loss)
                try LoRAGradientCheck.compare(projection.b, at: [0, projection.b.count / 2 + 1, projection.b.count - 1],
                                              label: "\(family) \(projection.moduleName) B", loss: loss)
            }
            for tensor in model.parameters { XCTAssertNil(tensor.grad, "\(family): a base weight received a gradient") }
        }
    }

    /// One adapted projection over a dense and over a quantized (Q8_0) base: gradients of x, A
    /// and B; the base receives none.
    func testSingleProjectionGradientsWithDenseAndQuantizedBase() throws {
        let (out, inFeatures, rows) = (6, 64, QuantizedWeight.quantizedRowLimit + 1)
        var stream = RandomStream(seed: 21)
        let values = Tensor.uniform([out, inFeatures], in: -0.5...0.5, using: &stream)
        let blocks = try XCTUnwrap(Self.quantized(values, type: .q8_0))
        let bases: [(String, WeightMatrix)] = [("dense", DenseWeight(values)), ("Q8_0", QuantizedWeight(blocks: blocks))]
        for (label, base) in bases {
            let weight = AdaptableWeight(base: base, moduleName: "model.layers.0.mlp.down_proj")
            let adapter = LoRAAdapter(config: LoRAConfig(rank: 3, alpha: 6),
                                      modules: [(name: weight.moduleName, outFeatures: out, inFeatures: inFeatures)])
            let projection = adapter.projections[0]
            var fill = RandomStream(seed: 4)
            adapter.flatValues.withUnsafeMutableBufferPointer { v in for i in v.indices { v[i] = 2 * fill.nextUniform() - 1 } }
            weight.lora = projection
            let x = Tensor.uniform([rows, inFeatures], in: -1...1, using: &stream)
            x.requiresGrad = true
            let lossWeights = LoRAGradientCheck.weights(count: rows * out)
            (weight.multiply(x) * Tensor(shape: [rows, out], scalars: lossWeights)).sum().backward()
            // More rows than `quantizedRowLimit`, so the no-gradient evaluations below dequantize
            // the blocks for sgemm as the recorded product does: over a few rows a quantized base multiplies
            // its blocks by 8-bit rounded activations, a step function finite differences cannot follow.
            let loss = { LoRAGradientCheck.weightedSum(Autograd.noGrad { weight.multiply(x) }.scalars, lossWeights) }
            LoRAGradientCheck.compare(x, at: Array(0..<x.count).filter { $0 % 17 == 0 }, label: "\(label) x", loss: loss)
            LoRAGradientCheck.compare(projection.a, at: Array(0..<projection.a.count).filter { $0 % 11 == 0 }, label: "\(label) A", loss: loss)
            LoRAGradientCheck.compare(projection.b, at: Array(0..<projection.b.count), label: "\(label) B", loss: loss)
            switch base {
            case let dense as DenseWeight: XCTAssertNil(dense.tensor.grad)
            case is QuantizedWeight: break  // no Float32 values to receive a gradient
            default: XCTFail("unexpected base")
            }
        }
    }

    /// The delta is exactly scale · (x·Aᵀ)·Bᵀ, with scale alpha/r or alpha/√r.
    func testDeltaMatchesFormulaAndRSLoRAScale() throws {
        XCTAssertEqual(LoRAConfig(rank: 16, alpha: 16).scale, 1)
        XCTAssertEqual(LoRAConfig(rank: 8, alpha: 32).scale, 4)
        XCTAssertEqual(LoRAConfig(rank: 16, alpha: 16, useRSLoRA: true).scale, 4)
        XCTAssertEqual(LoRAConfig(rank: 4, alpha: 6, useRSLoRA: true).scale, 3)

        for useRSLoRA in [false, true] {
            let config = LoRAConfig(rank: 4, alpha: 6, useRSLoRA: useRSLoRA)
            let adapter = LoRAAdapter(config: config, modules: [(name: "p", outFeatures: 3, inFeatures: 5)])
            let projection = adapter.projections[0]
            XCTAssertEqual(projection.scale, config.scale)
            var fill = RandomStream(seed: 8)
            adapter.flatValues.withUnsafeMutableBufferPointer { v in for i in v.indices { v[i] = 2 * fill.nextUniform() - 1 } }
            let x = Tensor.uniform([2, 5], in: -1...1, using: &fill)
            let delta = Autograd.noGrad { projection.delta(x) }
            let a = projection.a.scalars, b = projection.b.scalars, xs = x.scalars
            for row in 0..<2 {
                for o in 0..<3 {
                    var total = 0.0
                    for k in 0..<4 {
                        var ax = 0.0
                        for i in 0..<5 { ax += Double(a[k * 5 + i]) * Double(xs[row * 5 + i]) }
                        total += Double(b[o * 4 + k]) * ax
                    }
                    XCTAssertEqual(Double(delta[row, o]), Double(config.scale) * total, accuracy: 1e-5)
                }
            }
        }
    }

    static func quantized(_ tensor: Tensor, type: GGMLType) -> QuantizedMatrix? {
        let (rows, columns) = (tensor.shape[0], tensor.shape[1])
        var bytes = [UInt8](repeating: 0, count: type.byteCount(elements: rows * columns))
        tensor.withUnsafeBufferPointer { values in
            bytes.withUnsafeMutableBytes { _ = Quantizer.quantize(type, from: values.baseAddress!, count: rows * columns, into: $0.baseAddress!) }
        }
        return bytes.withUnsafeBytes { QuantizedMatrix(type: type, rows: rows, columns: columns, copying: $0) }
    }
}
