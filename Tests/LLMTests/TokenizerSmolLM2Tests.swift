import Foundation
import LLM
import XCTest

/// Byte-level BPE from the SmolLM2 GGUF against tokenizer_smollm2.json (transformers).
final class TokenizerSmolLM2Tests: XCTestCase {
    private func load() throws -> (PreTrainedTokenizer, [String: Any]) {
        let tokenizer = try TokenizerTestSupport.cachedTokenizer("SmolLM2-135M-Instruct")
        let fixture = try TokenizerTestSupport.fixture(
            TokenizerTestSupport.sharedFixtures.appendingPathComponent("tokenizer_smollm2.json"))
        return (tokenizer, fixture)
    }

    func testEveryStringEncodesAndDecodesExactly() throws {
        let (tokenizer, fixture) = try load()
        let strings = try XCTUnwrap(fixture["strings"] as? [[String: Any]])
        XCTAssertFalse(strings.isEmpty)
        for entry in strings {
            let text = try XCTUnwrap(entry["text"] as? String)
            let fixtureIDs = try XCTUnwrap(entry["ids"] as? [Int])
            let expected = entry["ids_smollm_pretokenizer"] as? [Int] ?? fixtureIDs
            let ids = tokenizer.encode(text)
            XCTAssertEqual(ids, expected, "ids of \(entry["index"] ?? "?") \(text.debugDescription)")
            XCTAssertEqual(tokenizer.decode(ids), text, "round trip of \(text.debugDescription)")
            if let decoded = entry["decoded"] as? String {
                XCTAssertEqual(tokenizer.decode(fixtureIDs), decoded, "decode of \(text.debugDescription)")
            }
            if let tokens = entry["tokens"] as? [String] {
                XCTAssertEqual(fixtureIDs.map { tokenizer.token(for: $0) ?? "?" }, tokens)
            }
            XCTAssertEqual(TokenizerTestSupport.streamed(tokenizer, ids), text, "streaming \(text.debugDescription)")
        }
    }

    func testEveryChatExampleEncodes() throws {
        let (tokenizer, fixture) = try load()
        let chats = try XCTUnwrap(fixture["chat_examples"] as? [[String: Any]])
        XCTAssertFalse(chats.isEmpty)
        for chat in chats {
            let text = try XCTUnwrap(chat["text"] as? String)
            XCTAssertEqual(tokenizer.encode(text), try XCTUnwrap(chat["ids"] as? [Int]))
        }
    }

    func testSpecialTokensMatchTheFixture() throws {
        let (tokenizer, fixture) = try load()
        let info = try XCTUnwrap(fixture["tokenizer"] as? [String: Any])
        XCTAssertEqual(tokenizer.vocabularySize, info["vocab_size"] as? Int)
        XCTAssertEqual(tokenizer.bosTokenID, info["bos_token_id"] as? Int)
        XCTAssertEqual(tokenizer.eosTokenID, info["eos_token_id"] as? Int)
        XCTAssertEqual(tokenizer.padTokenID, info["pad_token_id"] as? Int)
        XCTAssertEqual(tokenizer.unknownTokenID, info["unk_token_id"] as? Int)
        XCTAssertEqual(tokenizer.bosToken, info["bos_token"] as? String)
        XCTAssertEqual(tokenizer.eosToken, info["eos_token"] as? String)
        for (token, id) in try XCTUnwrap(info["special_token_ids"] as? [String: Int]) {
            XCTAssertEqual(tokenizer.id(for: token), id)
            XCTAssertEqual(tokenizer.token(for: id), token)
            XCTAssertTrue(tokenizer.specialTokenIDs.contains(id))
            XCTAssertEqual(tokenizer.encode("a\(token)b"), tokenizer.encode("a") + [id] + tokenizer.encode("b"))
        }
    }

    func testMetadataAddsNoBOSAndSkippingDropsSpecialTokens() throws {
        let (tokenizer, _) = try load()
        let text = "<|im_start|>user\nHi<|im_end|>"
        XCTAssertEqual(tokenizer.encode(text, addSpecialTokens: true), tokenizer.encode(text))
        let ids = tokenizer.encode(text)
        XCTAssertEqual(ids.first, 1)
        XCTAssertEqual(tokenizer.decode(ids, skipSpecialTokens: true), "user\nHi")
        // Near misses are ordinary text.
        XCTAssertFalse(tokenizer.encode("<|im_start").contains(1))
        XCTAssertFalse(tokenizer.encode("<|IM_START|>").contains(1))
    }

    func testBatchEncodingEqualsOneByOne() throws {
        let (tokenizer, fixture) = try load()
        let texts = try XCTUnwrap(fixture["strings"] as? [[String: Any]]).compactMap { $0["text"] as? String }
        XCTAssertEqual(tokenizer.encode(batch: texts), texts.map { tokenizer.encode($0) })
        XCTAssertEqual(tokenizer.encode(batch: []), [])
    }

    func testCanonicallyEquivalentSpellingsStayDistinct() throws {
        let (tokenizer, _) = try load()
        // Swift's String == treats these as equal; tokenizers work on bytes and must not.
        for (composed, decomposed) in [("café", "cafe\u{301}"), (" Å", " A\u{30A}"), ("\u{212B}", "\u{C5}")] {
            let first = tokenizer.encode(composed)
            let second = tokenizer.encode(decomposed)
            XCTAssertNotEqual(first, second)
            XCTAssertTrue(tokenizer.decode(first).unicodeScalars.elementsEqual(composed.unicodeScalars))
            XCTAssertTrue(tokenizer.decode(second).unicodeScalars.elementsEqual(decomposed.unicodeScalars))
        }
    }

    func testStreamingHoldsBackIncompleteCharacters() throws {
        let (tokenizer, _) = try load()
        let text = "Fever 🤒 and 日本語"
        let ids = tokenizer.encode(text)
        let decoder = tokenizer.streamingDecoder()
        var pieces = [String]()
        for id in ids { pieces.append(decoder.append(id)) }
        pieces.append(decoder.finish())
        XCTAssertEqual(pieces.joined(), text)
        XCTAssertFalse(pieces.contains { $0.unicodeScalars.contains("\u{FFFD}") })
        // The emoji spans several byte tokens, so at least one step emitted nothing.
        XCTAssertTrue(pieces.dropLast().contains(""))

        // Bytes that never complete a character are given up (as U+FFFD) instead of held forever.
        let leadByte = try XCTUnwrap(tokenizer.id(for: "\u{E4}"))  // spelling of byte 0xE4
        let stuck = tokenizer.streamingDecoder()
        let emitted = (0..<20).map { _ in stuck.append(leadByte) }.joined()
        XCTAssertTrue(emitted.unicodeScalars.contains("\u{FFFD}"))
    }
}
