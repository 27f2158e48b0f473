import Foundation
import LLM
import Tensor
import XCTest

/// Every `chat_examples` entry of tokenizer_smollm2.json, rendered byte for byte with the
/// template from the fixture and from the GGUF metadata.
final class TemplateSmolLM2Tests: XCTestCase {
    func testEveryChatExampleRendersExactly() throws {
        let fixture = try LoadingTestPaths.json(LoadingTestPaths.sharedFixtures.appendingPathComponent("tokenizer_smollm2.json"))
        let tokenizer = try XCTUnwrap(fixture["tokenizer"] as? [String: Any])
        var sources = [try XCTUnwrap(tokenizer["chat_template"] as? String)]
        let gguf = ModelRegistry().url(for: ModelRegistry.entry(named: ModelRegistry.defaultModelName)!)
        if FileManager.default.fileExists(atPath: gguf.path) {
            sources.append(try ChatTemplateSettings(gguf: GGUFFile(url: gguf), reference: "default").template)
        }
        let examples = try XCTUnwrap(fixture["chat_examples"] as? [[String: Any]])
        XCTAssertFalse(examples.isEmpty)
        for source in sources {
            let template = try ChatTemplate(source: source)
            for example in examples {
                let messages = try XCTUnwrap(example["messages"] as? [[String: Any]])
                let text = try template.render(
                    messages: messages, addGenerationPrompt: example["add_generation_prompt"] as? Bool ?? false,
                    bosToken: tokenizer["bos_token"] as? String, eosToken: tokenizer["eos_token"] as? String)
                XCTAssertEqual(text, example["text"] as? String, "chat example \(example["index"] ?? "?")")
            }
        }
    }
}
