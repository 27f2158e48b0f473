import Foundation
import LLM
import Tensor
import XCTest

/// Every tiny model folder (shared fixtures and our own Tests/Fixtures) loads by its
/// config.json and reproduces transformers' logits.
final class ArchitectureParityTests: XCTestCase {
    static var modelFolders: [URL] {
        let roots = [TokenizerTestSupport.sharedFixtures.appendingPathComponent("tiny_models"),
                     TokenizerTestSupport.projectFixtures.appendingPathComponent("tiny_models")]
        return roots.flatMap { root in
            ((try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? [])
                .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("reference_logits.json").path) }
                .sorted { $0.path < $1.path }
        }
    }

    func loadModel(_ folder: URL) throws -> CausalLanguageModel {
        let config = try TransformerConfig(huggingFace: HuggingFaceConfig(contentsOf: folder.appendingPathComponent("config.json")))
        let weights = try ModelWeights(checkpoint: HuggingFaceFolder(url: folder).checkpoint())
        return try CausalLanguageModel(config: config, weights: weights)
    }

    func testEveryTinyModelMatchesReferenceLogits() throws {
        let folders = Self.modelFolders
        XCTAssertGreaterThanOrEqual(folders.count, 4, "expected the shared llama/qwen2 and our gemma3/phi3 folders")
        for folder in folders {
            let reference = try TokenizerTestSupport.fixture(folder.appendingPathComponent("reference_logits.json"))
            let ids = try XCTUnwrap(reference["input_ids"] as? [Int])
            let expected = try XCTUnwrap(reference["logits"] as? [[Double]])
            let model = try loadModel(folder)
            let logits = try Autograd.noGrad { try model.logits(tokens: ids) }
            let worst = maxDifference(logits, expected)
            XCTAssertLessThanOrEqual(worst, 1e-4, "\(folder.lastPathComponent): max |Δlogit| = \(worst)")
        }
    }

    func testKVCacheDecodingMatchesFullForward() throws {
        for folder in Self.modelFolders {
            let reference = try TokenizerTestSupport.fixture(folder.appendingPathComponent("reference_logits.json"))
            let ids = try XCTUnwrap(reference["input_ids"] as? [Int])
            let model = try loadModel(folder)
            try Autograd.noGrad {
                let full = try model.logits(tokens: ids)
                let cache = model.makeCache(capacity: ids.count)
                // A 5-token prefill, then one token at a time.
                var rows: [Tensor] = [model.logits(try model.hiddenStates(SequenceBatch(tokens: [Array(ids[..<5])], caches: [cache])))]
                for id in ids[5...] {
                    rows.append(model.logits(try model.hiddenStates(SequenceBatch(tokens: [[id]], caches: [cache]))))
                }
                let incremental = Tensor.concatenate(rows, alongAxis: 0)
                let worst = zip(incremental.scalars, full.scalars).map { abs($0 - $1) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 1e-4, "\(folder.lastPathComponent): cache vs full \(worst)")
            }
        }
    }

    func testRaggedBatchMatchesSequencesAlone() throws {
        let folder = try XCTUnwrap(Self.modelFolders.first { $0.lastPathComponent == "gemma3" } ?? Self.modelFolders.first)
        let model = try loadModel(folder)
        let a = [1, 17, 42, 99, 123, 200, 255, 7, 64, 318], b = [5, 2, 9]
        try Autograd.noGrad {
            let together = try model.hiddenStates(SequenceBatch(tokens: [a, b]))
            let alone = Tensor.concatenate([try model.hiddenStates(SequenceBatch(tokens: [a])),
                                            try model.hiddenStates(SequenceBatch(tokens: [b]))], alongAxis: 0)
            let worst = zip(together.scalars, alone.scalars).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-5)
        }
    }

    func testTinyGGUFLlamaMatchesItsSafetensorsTwin() throws {
        let folder = TokenizerTestSupport.sharedFixtures.appendingPathComponent("tiny_models/llama")
        let gguf = try GGUFFile(path: folder.appendingPathComponent("tiny-llama-F32.gguf").path)
        let config = try TransformerConfig(gguf: gguf)
        let fromGGUF = try CausalLanguageModel(config: config, weights: try ModelWeights(gguf: gguf, config: config))
        let fromSafetensors = try loadModel(folder)
        let ids = [1, 17, 42, 99, 123, 200, 255, 7, 64, 318, 5, 2]
        try Autograd.noGrad {
            let a = try fromGGUF.logits(tokens: ids), b = try fromSafetensors.logits(tokens: ids)
            let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-4)
        }
    }

    func testBadConfigAndMissingTensorGiveTypedErrors() throws {
        XCTAssertThrowsError(try TransformerConfig(huggingFace: ["model_type": "mamba"])) { error in
            XCTAssertEqual(error as? ModelConfigError, .unsupportedArchitecture("mamba"))
        }
        XCTAssertThrowsError(try TransformerConfig(huggingFace: ["model_type": "llama", "hidden_size": 64])) { error in
            XCTAssertEqual(error as? ModelConfigError, .missingField("num_attention_heads", source: "config.json"))
        }
        let folder = TokenizerTestSupport.sharedFixtures.appendingPathComponent("tiny_models/llama")
        let config = try TransformerConfig(huggingFace: HuggingFaceConfig(contentsOf: folder.appendingPathComponent("config.json")))
        var weights = try ModelWeights(checkpoint: HuggingFaceFolder(url: folder).checkpoint())
        weights.tensors["model.layers.1.mlp.up_proj.weight"] = nil
        XCTAssertThrowsError(try CausalLanguageModel(config: config, weights: weights)) { error in
            guard case .missingTensor(let name, _)? = error as? ModelWeightError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "model.layers.1.mlp.up_proj.weight")
            XCTAssertTrue("\(error)".contains("model.layers.1.mlp.up_proj.weight"))
        }
    }

    private func maxDifference(_ logits: Tensor, _ expected: [[Double]]) -> Double {
        let values = logits.scalars, width = logits.shape[1]
        var worst = 0.0
        for (row, expectedRow) in expected.enumerated() {
            for (column, value) in expectedRow.enumerated() {
                worst = max(worst, abs(Double(values[row * width + column]) - value))
            }
        }
        return worst
    }
}
