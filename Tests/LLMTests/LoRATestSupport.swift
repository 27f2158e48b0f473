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
        let config = try TransformerConfig(huggingFace: try TokenizerTestSupport.fixture(folder.appendingPathComponent("config.json")))
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
