import Foundation
import LLM
import Tensor
import XCTest

/// The tiny Phi-3 and Gemma 3 models written as llama.cpp-style GGUFs by
/// scripts/fixtures/make_tiny_ggufs.py (fused Phi-3 tensors; Gemma's `1 + w` norms, local and
/// global RoPE bases, sliding-window layers): loaded from the GGUF they give transformers'
/// logits, as their Hugging Face folders do.
final class TinyGGUFParityTests: XCTestCase {
    static let families = ["phi3", "gemma3"]

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
            XCTAssertEqual(fromGGUF.config.family.rawValue, family)
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
