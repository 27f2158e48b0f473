import Foundation
import LLM
import Tensor
import TextFormats
import XCTest

/// Scoring and sampling defaults of a loaded `LanguageModel`, on a tiny model folder.
final class LanguageModelDefaultsTests: LoadingTestCase {
    /// The tiny Gemma 3 folder with `config` edits, `generation` as generation_config.json, and
    /// a tokenizer.json borrowed from the registry's sentence encoder (ids are all these tests use).
    func tinyModelFolder(config edits: [String: JSONValue], generation: JSONValue?) throws -> URL {
        let registry = ModelRegistry()
        let encoder = registry.url(for: try XCTUnwrap(ModelRegistry.entry(named: ModelRegistry.defaultEncoderName)))
        let tokenizer = encoder.appendingPathComponent("tokenizer.json")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: tokenizer.path), "run `make models` first")
        let source = LoadingTestPaths.packageFixtures.appendingPathComponent("tiny_models/gemma3")
        let folder = try LoadingTestPaths.scratchFolder()
        var config = try JSONParser.parse([UInt8](Data(contentsOf: source.appendingPathComponent("config.json"))))
        for (key, value) in edits { config[key] = value }
        try Data(JSONWriter(indent: 2).bytes(config)).write(to: folder.appendingPathComponent("config.json"))
        if let generation {
            try Data(JSONWriter().bytes(generation)).write(to: folder.appendingPathComponent("generation_config.json"))
        }
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("model.safetensors"),
                                                   withDestinationURL: source.appendingPathComponent("model.safetensors"))
        try FileManager.default.copyItem(at: tokenizer, to: folder.appendingPathComponent("tokenizer.json"))
        return folder
    }

    func testScoreAppliesTheFinalLogitSoftcapAsLogitsDo() throws {
        let folder = try tinyModelFolder(config: ["final_logit_softcapping": 0.5], generation: nil)
        let model = try LanguageModel.load(folder.path)
        XCTAssertEqual(model.config.finalLogitSoftcap, 0.5)
        let ids = [2, 17, 101, 5, 250, 42, 9]
        let (logProbs, logSumExp) = try model.score(ids)
        let logits = try Autograd.noGrad { try model.network.logits(tokens: Array(ids.dropLast())) }
        let vocabulary = model.config.vocabularySize
        XCTAssertEqual(logProbs.count, ids.count - 1)
        for row in 0..<(ids.count - 1) {
            let values = Array(logits.scalars[row * vocabulary..<(row + 1) * vocabulary])
            let top = values.max() ?? 0
            let expected = top + log(values.reduce(Float(0)) { $0 + exp($1 - top) })
            XCTAssertEqual(logSumExp[row], expected, accuracy: 1e-4, "row \(row)")
            XCTAssertEqual(logProbs[row], values[ids[row + 1]] - expected, accuracy: 1e-4, "row \(row)")
        }
    }

    func testGenerationConfigSamplingValuesAreTheModelsDefaults() throws {
        let shipped = try LanguageModel.load(
            tinyModelFolder(config: [:], generation: ["temperature": 0.6, "top_p": 0.9, "top_k": 20, "do_sample": true]).path)
        XCTAssertEqual(shipped.samplingDefaults, SamplingOptions(temperature: 0.6, topK: 20, topP: 0.9))

        let partial = try LanguageModel.load(tinyModelFolder(config: [:], generation: ["top_k": 5]).path)
        XCTAssertEqual(partial.samplingDefaults, SamplingOptions(temperature: SamplingOptions.fallbackDefaults.temperature, topK: 5))

        let none = try LanguageModel.load(tinyModelFolder(config: [:], generation: nil).path)
        XCTAssertEqual(none.samplingDefaults, SamplingOptions.fallbackDefaults)
        XCTAssertEqual(SamplingOptions.fallbackDefaults.temperature, 0.7)
    }
}
