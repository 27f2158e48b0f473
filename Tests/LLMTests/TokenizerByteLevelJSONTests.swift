import Foundation
import LLM
import XCTest

/// Byte-level BPE from tokenizer.json (Split with the Llama 3 / Qwen2 regexes, Digits,
/// ByteLevel, ignore_merges, added tokens with lstrip/rstrip) against HF tokenizers.
final class TokenizerByteLevelJSONTests: XCTestCase {
    func testEveryTokenizerAndCaseMatchesHuggingFace() throws {
        let fixture = try TokenizerTestSupport.fixture(
            TokenizerTestSupport.projectFixtures.appendingPathComponent("tokenizer_bytelevel.json"))
        let entries = try XCTUnwrap(fixture["tokenizers"] as? [[String: Any]])
        XCTAssertEqual(entries.count, 4)
        for entry in entries {
            let name = try XCTUnwrap(entry["name"] as? String)
            let json = try JSONSerialization.data(withJSONObject: try XCTUnwrap(entry["tokenizer_json"]))
            let tokenizer = try Tokenizers.load(tokenizerJSON: json)
            let cases = try XCTUnwrap(entry["cases"] as? [[String: Any]])
            XCTAssertFalse(cases.isEmpty)
            for testCase in cases {
                let text = try XCTUnwrap(testCase["text"] as? String)
                let expected = try XCTUnwrap(testCase["ids"] as? [Int])
                let ids = tokenizer.encode(text)
                XCTAssertEqual(ids, expected, "\(name): \(text.debugDescription)")
                if let pieces = testCase["pieces"] as? [String] {
                    XCTAssertEqual(tokenizer.preTokenize(text), pieces, "\(name) pieces: \(text.debugDescription)")
                }
                // HF spells an lstrip/rstrip added token with the whitespace it absorbed; compare the rest.
                let added = Set(tokenizer.addedTokens.map(\.id))
                if let tokens = testCase["tokens"] as? [String] {
                    for (id, token) in zip(expected, tokens) where !added.contains(id) {
                        XCTAssertEqual(tokenizer.token(for: id), token, name)
                    }
                }
                XCTAssertEqual(TokenizerTestSupport.streamed(tokenizer, expected), testCase["decoded"] as? String)
                XCTAssertEqual(tokenizer.decode(expected), testCase["decoded"] as? String, "\(name) decode")
            }
        }
    }
}
