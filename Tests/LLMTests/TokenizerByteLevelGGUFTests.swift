import Foundation
import LLM
import Tensor
import XCTest

/// Byte-level BPE from GGUF metadata with the llama3 (`llama-bpe`, ignore_merges) and qwen2
/// pre-tokenizers: the same vocabularies as tokenizer_bytelevel.json, so the same ids.
final class TokenizerByteLevelGGUFTests: XCTestCase {
    private func check(_ name: String, gguf: String) throws -> PreTrainedTokenizer {
        let url = TokenizerTestSupport.projectFixtures.appendingPathComponent(gguf)
        let tokenizer = try Tokenizers.load(fromGGUF: GGUFFile(url: url))
        let fixture = try TokenizerTestSupport.fixture(
            TokenizerTestSupport.projectFixtures.appendingPathComponent("tokenizer_bytelevel.json"))
        let entries = try XCTUnwrap(fixture["tokenizers"] as? [[String: Any]])
        let entry = try XCTUnwrap(entries.first { $0["name"] as? String == name })
        var checked = 0
        for testCase in try XCTUnwrap(entry["cases"] as? [[String: Any]]) {
            let text = try XCTUnwrap(testCase["text"] as? String)
            // GGUF cannot say that <|eot|> strips the whitespace around it.
            if text.contains("<|eot|>") { continue }
            checked += 1
            let expected = try XCTUnwrap(testCase["ids"] as? [Int])
            XCTAssertEqual(tokenizer.encode(text), expected, "\(name): \(text.debugDescription)")
            XCTAssertEqual(tokenizer.decode(expected), testCase["decoded"] as? String)
        }
        XCTAssertGreaterThan(checked, 100)
        return tokenizer
    }

    func testLlama3GGUFMatchesTokenizerJSONAndAddsBOSByDefault() throws {
        let tokenizer = try check("llama3", gguf: "tokenizer_llama3.gguf")
        XCTAssertEqual(tokenizer.encode("Hi there", addSpecialTokens: true), [1] + tokenizer.encode("Hi there"))
    }

    func testQwen2GGUFMatchesTokenizerJSONAndHonoursAddBOSFalse() throws {
        let tokenizer = try check("qwen2", gguf: "tokenizer_qwen2.gguf")
        XCTAssertEqual(tokenizer.encode("Hi there", addSpecialTokens: true), tokenizer.encode("Hi there"))
        // "medication" is a user-defined token: one id, and not special.
        let id = try XCTUnwrap(tokenizer.id(for: "medication"))
        XCTAssertEqual(tokenizer.encode("medication"), [id])
        XCTAssertFalse(tokenizer.specialTokenIDs.contains(id))
        XCTAssertEqual(tokenizer.decode([id], skipSpecialTokens: true), "medication")
    }
}
