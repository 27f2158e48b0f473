import Foundation
import LLM
import Tensor
import XCTest

/// SentencePiece BPE with byte fallback, from a GGUF (`llama` model, scores as merge priority)
/// against the sentencepiece library, and from tokenizer.json (Metaspace) against HF tokenizers.
final class TokenizerSentencePieceTests: XCTestCase {
    private func fixture() throws -> [String: Any] {
        try TokenizerTestSupport.fixture(
            TokenizerTestSupport.projectFixtures.appendingPathComponent("tokenizer_sentencepiece.json"))
    }

    private func ggufTokenizer() throws -> PreTrainedTokenizer {
        let url = TokenizerTestSupport.projectFixtures.appendingPathComponent("tokenizer_sentencepiece.gguf")
        return try Tokenizers.load(fromGGUF: GGUFFile(url: url))
    }

    func testGGUFMatchesSentencePieceOnEveryCase() throws {
        let tokenizer = try ggufTokenizer()
        let cases = try XCTUnwrap(fixture()["cases"] as? [[String: Any]])
        var checked = 0
        for testCase in cases {
            let text = try XCTUnwrap(testCase["text"] as? String)
            guard let expected = testCase["ids"] as? [Int] else { continue }
            checked += 1
            XCTAssertEqual(tokenizer.encode(text), expected, text.debugDescription)
            XCTAssertEqual(tokenizer.decode(expected), testCase["decoded"] as? String, text.debugDescription)
            XCTAssertEqual(TokenizerTestSupport.streamed(tokenizer, expected), testCase["decoded"] as? String)
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testGGUFAddsBOSAndParsesControlTokens() throws {
        let tokenizer = try ggufTokenizer()
        XCTAssertEqual(tokenizer.bosTokenID, 1)
        XCTAssertEqual(tokenizer.eosTokenID, 2)
        XCTAssertEqual(tokenizer.unknownTokenID, 0)
        let ids = tokenizer.encode("Hello world")
        XCTAssertEqual(tokenizer.encode("Hello world", addSpecialTokens: true), [1] + ids)
        // A control token in the text is one id, and the text after it gets its own space prefix.
        XCTAssertEqual(tokenizer.encode("<s>Hello world"), [1] + ids)
        XCTAssertEqual(tokenizer.decode([1] + ids, skipSpecialTokens: true), "Hello world")
        // Characters outside the vocabulary fall back to <0xXX> byte tokens.
        let emoji = tokenizer.encode("🤖")
        XCTAssertTrue(emoji.contains { tokenizer.token(for: $0)?.hasPrefix("<0x") == true })
        XCTAssertEqual(tokenizer.decode(emoji), "🤖")
    }

    func testTokenizerJSONMatchesHuggingFaceOnEveryCase() throws {
        let fixture = try fixture()
        let json = try JSONSerialization.data(withJSONObject: try XCTUnwrap(fixture["tokenizer_json"]))
        let tokenizer = try Tokenizers.load(tokenizerJSON: json)
        let cases = try XCTUnwrap(fixture["cases"] as? [[String: Any]])
        XCTAssertFalse(cases.isEmpty)
        for testCase in cases {
            let text = try XCTUnwrap(testCase["text"] as? String)
            let expected = try XCTUnwrap(testCase["tokenizer_json_ids"] as? [Int])
            XCTAssertEqual(tokenizer.encode(text), expected, text.debugDescription)
            XCTAssertEqual(tokenizer.decode(expected), testCase["tokenizer_json_decoded"] as? String, text.debugDescription)
        }
    }
}
