import Foundation
import LLM
import Tensor
import XCTest

/// The tiny Phi-3 and Gemma 3 models written as llama.cpp-style GGUFs by
/// scripts/fixtures/make_tiny_ggufs.py (fused Phi-3 tensors; Gemma's `1 + w` norms, local and
/// global RoPE bases, sliding-window layers), and the tiny Llama with rope_type "llama3" written
/// with permuted Q/K rows and `rope_freqs.weight`: loaded from the GGUF they give
/// transformers' logits, as their Hugging Face folders do.
final class TinyGGUFParityTests: XCTestCase {
    static let families = ["phi3", "gemma3", "llama3_rope_scaling"]

    func folder(_ family: String) -> URL {
        TokenizerTestSupport.projectFixtures.appendingPathComponent("tiny_models/\(family)")
    }

    func network(_ location: ModelLocation) throws -> CausalLanguageModel {
        try ModelSource(location: location).network()
    }

    func testGGUFsGiveTransformersLogits() throws {
        for family in Self.families {
            let folder = folder(family)
            let gguf = folder.appendingPathComponent("tiny-\(family)-F32.gguf")
            let reference = try TokenizerTestSupport.fixture(folder.appendingPathComponent("reference_logits.json"))
            let ids = try XCTUnwrap(reference["input_ids"] as? [Int])
            let expected = try XCTUnwrap(reference["logits"] as? [[Double]]).flatMap { $0 }
            let fromGGUF = try network(ModelLocation(reference: family, url: gguf, format: .gguf))
            XCTAssertEqual(fromGGUF.config.family.rawValue, family.components(separatedBy: "3_").first == "llama" ? "llama" : family)
            let logits = try Autograd.noGrad { try fromGGUF.logits(tokens: ids) }.scalars
            XCTAssertEqual(logits.count, expected.count)
            let worst = zip(logits, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(worst, 1e-4, "\(family) GGUF: max |Δlogit| = \(worst)")

            let fromFolder = try network(ModelLocation(reference: family, url: folder, format: .huggingFaceFolder))
            let folderLogits = try Autograd.noGrad { try fromFolder.logits(tokens: ids) }.scalars
            let apart = zip(logits, folderLogits).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThanOrEqual(apart, 1e-5, "\(family): GGUF and folder logits differ by \(apart)")
        }
    }

    func testGemma3GGUFSettings() throws {
        let gguf = folder("gemma3").appendingPathComponent("tiny-gemma3-F32.gguf")
        let config = try ModelSource(location: ModelLocation(reference: "tiny", url: gguf, format: .gguf)).transformerConfig()
        XCTAssertEqual(config.slidingWindow, [8, nil])
        XCTAssertEqual(config.rotary.map(\.theta), [10_000, 1_000_000])
        XCTAssertEqual(config.attentionScale, 1 / Float(256).squareRoot())
        XCTAssertEqual(config.activation, .geluTanh)
    }

    func testUnsupportedArchitectureListsWhatIsSupported() {
        let message = ModelConfigError.unsupportedArchitecture("mamba").description
        for family in ArchitectureFamily.allCases {
            XCTAssertTrue(message.contains(family.rawValue), message)
        }
        XCTAssertEqual(Set(TransformerConfig.ggufArchitectures), Set(ArchitectureFamily.allCases.map(\.rawValue)))
    }
}

/// A Gemma 3 config.json in the transformers 4.x form (rope_theta + rope_local_base_freq,
/// sliding_window_pattern, no layer_types), as the published Gemma 3 checkpoints have it.
final class Gemma3LegacyConfigTests: XCTestCase {
    func testLegacyConfigGivesTheSameModel() throws {
        let source = TokenizerTestSupport.projectFixtures.appendingPathComponent("tiny_models/gemma3")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gemma3-legacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: source.appendingPathComponent("model.safetensors"),
                                         to: folder.appendingPathComponent("model.safetensors"))
        var config = try TokenizerTestSupport.fixture(source.appendingPathComponent("config.json"))
        config["layer_types"] = nil
        config["rope_parameters"] = nil
        config["rope_theta"] = 1_000_000.0
        config["rope_local_base_freq"] = 10_000.0
        config["sliding_window_pattern"] = 2
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))

        let legacy = try TransformerConfig(huggingFace: HuggingFaceConfig(contentsOf: folder.appendingPathComponent("config.json")))
        XCTAssertEqual(legacy.slidingWindow, [8, nil])
        XCTAssertEqual(legacy.rotary.map(\.theta), [10_000, 1_000_000])
        let reference = try TokenizerTestSupport.fixture(source.appendingPathComponent("reference_logits.json"))
        let ids = try XCTUnwrap(reference["input_ids"] as? [Int])
        let expected = try XCTUnwrap(reference["logits"] as? [[Double]]).flatMap { $0 }
        let model = try ModelSource(location: ModelLocation(reference: "legacy", url: folder, format: .huggingFaceFolder)).network()
        let logits = try Autograd.noGrad { try model.logits(tokens: ids) }.scalars
        let worst = zip(logits, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, 1e-4)
    }
}
