import Foundation
import LLM
import Tensor
import XCTest

/// Tiny models and scratch folders for the LoRA tests.
enum LoRATestSupport {
    /// The shared tiny llama / qwen2 fixtures and the project's phi3 / gemma3 ones.
    static func tinyModelFolder(_ name: String) -> URL {
        let shared = TokenizerTestSupport.sharedFixtures.appendingPathComponent("tiny_models/\(name)")
        if FileManager.default.fileExists(atPath: shared.path) { return shared }
        return TokenizerTestSupport.projectFixtures.appendingPathComponent("tiny_models/\(name)")
    }

    static func tinyModel(_ name: String) throws -> CausalLanguageModel {
        let folder = tinyModelFolder(name)
        let config = try TransformerConfig(huggingFace: HuggingFaceConfig(contentsOf: folder.appendingPathComponent("config.json")))
        return try CausalLanguageModel(config: config, weights: try ModelWeights(checkpoint: HuggingFaceFolder(url: folder).checkpoint()))
    }

    static let tokens = [1, 17, 42, 99, 5, 250, 3, 77]

    static func logits(_ model: CausalLanguageModel, _ tokens: [Int] = tokens) throws -> [Float] {
        try Autograd.noGrad { try model.logits(tokens: tokens).scalars }
    }

    /// Fills every B with seeded values so the adapter changes the model's outputs.
    static func randomizeB(_ adapter: LoRAAdapter, seed: UInt64 = 7, magnitude: Float = 0.05) {
        var stream = RandomStream(seed: seed)
        for projection in adapter.projections {
            projection.b.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] = (2 * stream.nextUniform() - 1) * magnitude }
            }
        }
    }

    static func scratchFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-grpo-lora-\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Finite differences of a scalar loss with respect to single scalars of leaf tensors.
enum LoRAGradientCheck {
    /// Compares `tensor.grad` at `indices` with central differences of `loss` (evaluated without
    /// gradients, summed in Double by the caller).
    static func compare(_ tensor: Tensor, at indices: [Int], label: String, epsilon: Float = 1e-2,
                        relativeTolerance: Float = 2e-2, absoluteTolerance: Float = 2e-3,
                        file: StaticString = #filePath, line: UInt = #line, loss: () throws -> Double) rethrows {
        guard let analytic = tensor.grad?.scalars else {
            XCTFail("\(label): no gradient", file: file, line: line)
            return
        }
        for index in indices {
            let original = tensor.storage.buffer[tensor.offset + index]
            tensor.storage.buffer[tensor.offset + index] = original + epsilon
            let plus = try loss()
            tensor.storage.buffer[tensor.offset + index] = original - epsilon
            let minus = try loss()
            tensor.storage.buffer[tensor.offset + index] = original
            let numeric = Float((plus - minus) / Double(2 * epsilon))
            let tolerance = absoluteTolerance + relativeTolerance * max(abs(numeric), abs(analytic[index]))
            XCTAssertLessThanOrEqual(abs(numeric - analytic[index]), tolerance,
                                     "\(label)[\(index)]: analytic \(analytic[index]) vs numeric \(numeric)",
                                     file: file, line: line)
        }
    }

    /// Fixed pseudo-random weights in [-1, 1) for a weighted-sum loss.
    static func weights(count: Int, seed: UInt64 = 1234) -> [Float] {
        var stream = RandomStream(seed: seed)
        return (0..<count).map { _ in 2 * stream.nextUniform() - 1 }
    }

    static func weightedSum(_ values: [Float], _ weights: [Float]) -> Double {
        zip(values, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
}
