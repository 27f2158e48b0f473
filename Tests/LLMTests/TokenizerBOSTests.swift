import Foundation
import LLM
import Tensor
import XCTest

/// BOS exactly as each tokenizer's settings say, for every kind we load: raw prompts get it
/// when the model asks (`encodePrompt`), never twice, and chat-rendered text is left alone.
final class TokenizerBOSTests: XCTestCase {
    func gguf(_ name: String) throws -> PreTrainedTokenizer {
        try Tokenizers.load(fromGGUF: GGUFFile(url: TokenizerTestSupport.projectFixtures.appendingPathComponent(name)))
    }

    /// BOS once in front of raw text, and once (not twice) when the text starts with it.
    func assertAddsBOSOnce(_ tokenizer: Tokenizer, bos: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(tokenizer.bosTokenID, bos, file: file, line: line)
        XCTAssertTrue(tokenizer.addsBOS, file: file, line: line)
        let plain = tokenizer.encode("Hello world")
        XCTAssertNotEqual(plain.first, bos, file: file, line: line)
        XCTAssertEqual(tokenizer.encodePrompt("Hello world"), [bos] + plain, file: file, line: line)
        let spelled = try XCTUnwrap(tokenizer.bosToken)
        let rendered = tokenizer.encodePrompt(spelled + "Hello world")
        XCTAssertEqual(rendered.first, bos, file: file, line: line)
        XCTAssertNotEqual(rendered.dropFirst().first, bos, "a second BOS", file: file, line: line)
        XCTAssertEqual(tokenizer.encodeChat(spelled + "Hello world"), tokenizer.encode(spelled + "Hello world"), file: file, line: line)
    }

    func assertAddsNoBOS(_ tokenizer: Tokenizer, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(tokenizer.addsBOS, file: file, line: line)
        XCTAssertEqual(tokenizer.encodePrompt("Hello world"), tokenizer.encode("Hello world"), file: file, line: line)
    }

    func testSentencePieceGGUFAddsBOS() throws {
        try assertAddsBOSOnce(try gguf("tokenizer_sentencepiece.gguf"), bos: 1)
    }

    func testLlama3ByteLevelGGUFAddsBOS() throws {
        try assertAddsBOSOnce(try gguf("tokenizer_llama3.gguf"), bos: 1)
    }

    func testQwen2ByteLevelGGUFFollowsAddBOSFalse() throws {
        assertAddsNoBOS(try gguf("tokenizer_qwen2.gguf"))
    }

    func testSmolLM2AddsNoBOS() throws {
        assertAddsNoBOS(try TokenizerTestSupport.registryTokenizer(ModelRegistry.defaultModelName))
    }

    func testGemma3GGUFAddsBOS() throws {
        let registry = ModelRegistry()
        guard let entry = ModelRegistry.entry(named: ModelRegistry.gemma3ModelName),
              FileManager.default.fileExists(atPath: registry.url(for: entry).path) else {
            throw XCTSkip("gemma-3-270m is not in the model cache; `make models` fetches it")
        }
        try assertAddsBOSOnce(try Tokenizers.load(from: registry.url(for: entry)), bos: 2)
    }

    /// tokenizer.json without a post-processor: tokenizer_config.json's add_bos_token decides.
    func testTokenizerJSONFollowsTokenizerConfigFlags() throws {
        let fixture = try TokenizerTestSupport.fixture(TokenizerTestSupport.projectFixtures.appendingPathComponent("tokenizer_sentencepiece.json"))
        let json = try JSONSerialization.data(withJSONObject: try XCTUnwrap(fixture["tokenizer_json"]))
        func tokenizer(_ config: [String: Any]) throws -> PreTrainedTokenizer {
            try Tokenizers.load(tokenizerJSON: json, configJSON: try JSONSerialization.data(withJSONObject: config))
        }
        try assertAddsBOSOnce(try tokenizer(["bos_token": "<s>", "eos_token": "</s>", "add_bos_token": true]), bos: 1)
        assertAddsNoBOS(try tokenizer(["bos_token": "<s>", "eos_token": "</s>", "add_bos_token": false]))
        assertAddsNoBOS(try tokenizer(["bos_token": "<s>", "eos_token": "</s>"]))
        let withEOS = try tokenizer(["bos_token": "<s>", "eos_token": "</s>", "add_bos_token": true, "add_eos_token": true])
        XCTAssertEqual(withEOS.encodePrompt("Hello"), [1] + withEOS.encode("Hello") + [2])
    }

    /// BERT's [CLS] … [SEP] framing is not touched by add_bos_token-style flags.
    func testWordPieceKeepsItsFraming() throws {
        let tokenizer = try TokenizerTestSupport.registryTokenizer(ModelRegistry.defaultEncoderName)
        let framed = tokenizer.encodePrompt("hello world")
        XCTAssertEqual(framed.first, tokenizer.id(for: "[CLS]"))
        XCTAssertEqual(framed.last, tokenizer.id(for: "[SEP]"))
    }
}

/// Known chat templates for base models, and the error offering them.
final class KnownChatTemplateTests: XCTestCase {
    let conversation: [ChatMessage] = [.system("Be brief."), .user("Hi"), .assistant("Hello!"), .user("Bye")]

    func render(_ template: KnownChatTemplate, _ messages: [ChatMessage], bos: String? = nil) throws -> String {
        try ChatTemplate(source: template.source).render(messages: messages, addGenerationPrompt: true, bosToken: bos)
    }

    func testChatML() throws {
        XCTAssertEqual(try render(.chatml, conversation),
                       "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n")
    }

    func testLlama3() throws {
        XCTAssertEqual(try render(.llama3, [.user(" Hi ")], bos: "<|begin_of_text|>"),
                       "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
    }

    func testGemmaFoldsTheSystemMessageIntoTheFirstUserTurn() throws {
        XCTAssertEqual(try render(.gemma, conversation, bos: "<bos>"),
                       "<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n")
        XCTAssertThrowsError(try render(.gemma, [.assistant("first")]))
    }

    func testChoiceByNameFileOrText() throws {
        XCTAssertEqual(try ChatTemplateChoice("ChatML"), .known(.chatml))
        XCTAssertEqual(try ChatTemplateChoice("llama-3"), .known(.llama3))
        XCTAssertEqual(try ChatTemplateChoice("{{ messages[0]['content'] }}"), .text("{{ messages[0]['content'] }}"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("template-\(UUID().uuidString).jinja")
        try "{{ 'x' }}".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertEqual(try ChatTemplateChoice(file.path), .text("{{ 'x' }}"))
        XCTAssertThrowsError(try ChatTemplateChoice("vicuna")) { error in
            XCTAssertTrue("\(error)".contains("chatml, llama3, gemma"), "\(error)")
        }
    }

    func testMissingTemplateErrorOffersTheFix() {
        let message = ModelLoadingError.noChatTemplate(reference: "gemma-3-270m").description
        XCTAssertTrue(message.contains("--chat-template"), message)
        XCTAssertTrue(message.contains("chatTemplate:"), message)
        XCTAssertTrue(message.contains("gemma"), message)
    }

    func testSmolLM2WithChatTemplateStopsAtItsEndOfTurn() throws {
        let model = try LanguageModel.load(ModelRegistry.defaultModelName, chatTemplate: "chatml")
        XCTAssertEqual(model.chatTemplate?.template, KnownChatTemplate.chatml.source)
        XCTAssertTrue(model.eosTokenIDs.contains(try XCTUnwrap(model.tokenizer.id(for: "<|im_end|>"))))
        XCTAssertEqual(try model.chatPrompt([.user("Hi")]), "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    }
}
