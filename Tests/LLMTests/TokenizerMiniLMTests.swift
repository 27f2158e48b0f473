import Foundation
import LLM
import XCTest

/// WordPiece from the all-MiniLM-L6-v2 folder's tokenizer.json against minilm.json.
final class TokenizerMiniLMTests: XCTestCase {
    func testEverySentenceMatchesTheFixture() throws {
        let tokenizer = try TokenizerTestSupport.cachedTokenizer("all-MiniLM-L6-v2")
        let fixture = try TokenizerTestSupport.fixture(
            TokenizerTestSupport.sharedFixtures.appendingPathComponent("minilm.json"))
        let sentences = try XCTUnwrap(fixture["sentences"] as? [[String: Any]])
        XCTAssertFalse(sentences.isEmpty)
        for sentence in sentences {
            let text = try XCTUnwrap(sentence["text"] as? String)
            let expected = try XCTUnwrap(sentence["input_ids"] as? [Int])
            let ids = tokenizer.encode(text, addSpecialTokens: true)
            XCTAssertEqual(ids, expected, text)
            if let tokens = sentence["tokens"] as? [String] {
                XCTAssertEqual(ids.map { tokenizer.token(for: $0) ?? "?" }, tokens)
            }
        }
    }

    func testSpecialIDsAndFraming() throws {
        let tokenizer = try TokenizerTestSupport.cachedTokenizer("all-MiniLM-L6-v2")
        XCTAssertEqual(tokenizer.vocabularySize, 30522)
        XCTAssertEqual(tokenizer.padTokenID, 0)
        XCTAssertEqual(tokenizer.unknownTokenID, 100)
        XCTAssertEqual(tokenizer.id(for: "[CLS]"), 101)
        XCTAssertEqual(tokenizer.id(for: "[SEP]"), 102)
        let bare = tokenizer.encode("Héllo, WORLD!")
        XCTAssertEqual(bare.map { tokenizer.token(for: $0) ?? "?" }, ["hello", ",", "world", "!"])
        XCTAssertEqual(tokenizer.encode("Héllo, WORLD!", addSpecialTokens: true), [101] + bare + [102])
        XCTAssertEqual(tokenizer.decode([101] + bare + [102], skipSpecialTokens: true), "hello, world!")
        XCTAssertEqual(tokenizer.encode(String(repeating: "a", count: 101)), [100])
    }
}
