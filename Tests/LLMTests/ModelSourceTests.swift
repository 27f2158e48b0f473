import Foundation
import LLM
import Tensor
import XCTest

/// One opened model source that config, weights, tokenizer and chat template read from.
final class ModelSourceTests: LoadingTestCase {
    var tinyLlama: URL { LoadingTestPaths.sharedFixtures.appendingPathComponent("tiny_models/llama") }

    func testFolderAndGGUFAreOpenedOnceAndReadThroughTheSource() throws {
        let folder = try ModelSource.open(tinyLlama.path)
        guard case .huggingFaceFolder = folder.contents else { return XCTFail("\(folder.location)") }
        XCTAssertFalse(folder.hasTokenizer, "the tiny folder ships config and weights only")
        XCTAssertNil(try folder.chatTemplate())
        XCTAssertNotNil(try folder.generationConfig())
        let config = try folder.transformerConfig()

        let gguf = try ModelSource.open(tinyLlama.appendingPathComponent("tiny-llama-F32.gguf").path)
        guard case .gguf = gguf.contents else { return XCTFail("\(gguf.location)") }
        XCTAssertTrue(gguf.hasTokenizer)
        XCTAssertNil(try gguf.generationConfig())
        XCTAssertEqual(try gguf.transformerConfig().layerCount, config.layerCount)
        XCTAssertEqual(try gguf.network().config.hiddenSize, try folder.network().config.hiddenSize)
    }

    func testATemplateThatDoesNotParseIsAnErrorNamingItsFile() throws {
        let folder = try LoadingTestPaths.scratchFolder()
        let source = try ModelSource(location: XCTUnwrap(ModelLocation(existingPath: folder, reference: "x")))
        XCTAssertNil(try source.chatTemplate(), "no template at all is not an error")

        try LoadingTestPaths.write(#"{"chat_template": "{% for m in messages %}{{ m.content }"}"#,
                                   to: folder.appendingPathComponent("tokenizer_config.json"))
        XCTAssertThrowsError(try source.chatTemplate()) { error in
            guard case let .invalidChatTemplate(path, _)? = error as? ModelLoadingError else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("tokenizer_config.json"), path)
            XCTAssertTrue("\(error)".contains("tokenizer_config.json"))
        }
        XCTAssertThrowsError(try ChatTemplateSettings.load(from: source.location))

        try LoadingTestPaths.write(#"{"eos_token": "</s>"}"#, to: folder.appendingPathComponent("tokenizer_config.json"))
        try LoadingTestPaths.write("{{ unclosed", to: folder.appendingPathComponent("chat_template.jinja"))
        XCTAssertThrowsError(try source.chatTemplate()) { error in
            guard case let .invalidChatTemplate(path, _)? = error as? ModelLoadingError else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("chat_template.jinja"), path)
        }
    }
}
