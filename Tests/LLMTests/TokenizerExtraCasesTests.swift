import Foundation
import LLM
import XCTest

/// Edge cases beyond the shared fixtures (random strings over tricky characters), made with
/// HF tokenizers by scripts/fixtures/make_tokenizer_fixtures.py.
final class TokenizerExtraCasesTests: XCTestCase {
    func testSmolLM2ExtraCases() throws {
        let tokenizer = try TokenizerTestSupport.cachedTokenizer("SmolLM2-135M-Instruct")
        let fixture = try TokenizerTestSupport.fixture(
            TokenizerTestSupport.projectFixtures.appendingPathComponent("tokenizer_smollm2_extra.json"))
        let cases = try XCTUnwrap(fixture["cases"] as? [[String: Any]])
        XCTAssertFalse(cases.isEmpty)
        for testCase in cases {
            let text = try XCTUnwrap(testCase["text"] as? String)
            let expected = try XCTUnwrap(testCase["ids"] as? [Int])
            XCTAssertEqual(tokenizer.encode(text), expected, text.debugDescription)
            XCTAssertEqual(tokenizer.decode(expected), testCase["decoded"] as? String, text.debugDescription)
            XCTAssertEqual(tokenizer.decode(expected), text, "round trip \(text.debugDescription)")
            XCTAssertEqual(TokenizerTestSupport.streamed(tokenizer, expected), text, "streaming \(text.debugDescription)")
        }
    }

    func testMiniLMExtraCases() throws {
        let tokenizer = try TokenizerTestSupport.cachedTokenizer("all-MiniLM-L6-v2")
        let fixture = try TokenizerTestSupport.fixture(
            TokenizerTestSupport.projectFixtures.appendingPathComponent("tokenizer_minilm_extra.json"))
        let cases = try XCTUnwrap(fixture["cases"] as? [[String: Any]])
        XCTAssertFalse(cases.isEmpty)
        for testCase in cases {
            let text = try XCTUnwrap(testCase["text"] as? String)
            let expected = try XCTUnwrap(testCase["input_ids"] as? [Int])
            XCTAssertEqual(tokenizer.encode(text, addSpecialTokens: true), expected, text.debugDescription)
            XCTAssertEqual(tokenizer.decode(expected, skipSpecialTokens: true), testCase["decoded"] as? String,
                           text.debugDescription)
        }
    }
}
