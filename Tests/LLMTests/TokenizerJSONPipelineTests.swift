import Foundation
import LLM
import XCTest

/// Other tokenizer.json pipelines (ByteLevel with prefix space + RobertaProcessing; WordPiece
/// with NFD/Lowercase/StripAccents and Punctuation; char BPE with NFKC, Whitespace and fused
/// unknowns; Metaspace split) against HF tokenizers.
final class TokenizerJSONPipelineTests: XCTestCase {
    func testEveryPipelineAndCaseMatchesHuggingFace() throws {
        let fixture = try TokenizerTestSupport.fixture(
            TokenizerTestSupport.projectFixtures.appendingPathComponent("tokenizer_json_pipelines.json"))
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
                XCTAssertEqual(tokenizer.encode(text), expected, "\(name): \(text.debugDescription)")
                XCTAssertEqual(tokenizer.encode(text, addSpecialTokens: true),
                               try XCTUnwrap(testCase["ids_with_special"] as? [Int]), "\(name) special: \(text.debugDescription)")
                XCTAssertEqual(tokenizer.decode(expected), testCase["decoded"] as? String, "\(name) decode: \(text.debugDescription)")
            }
        }
    }
}
