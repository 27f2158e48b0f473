import Foundation
import LLM
import XCTest

/// all-MiniLM-L6-v2 against sentence-transformers: every sentence of minilm.json.
final class SentenceEncoderTests: XCTestCase {
    func testEmbeddingsAndCosinesMatchSentenceTransformers() throws {
        let encoder: SentenceEncoder
        do { encoder = try SentenceEncoder.load() } catch {
            return XCTFail("all-MiniLM-L6-v2 is not loadable; run `make models` (\(error))")
        }
        let fixture = try TokenizerTestSupport.fixture(TokenizerTestSupport.sharedFixtures.appendingPathComponent("minilm.json"))
        let sentences = try XCTUnwrap(fixture["sentences"] as? [[String: Any]])
        var embeddings: [Int: [Float]] = [:]
        for sentence in sentences {
            let index = try XCTUnwrap(sentence["index"] as? Int)
            let text = try XCTUnwrap(sentence["text"] as? String)
            XCTAssertEqual(encoder.tokenIDs(text), try XCTUnwrap(sentence["input_ids"] as? [Int]), text)
            let ours = try encoder.embed(text)
            let expected = try XCTUnwrap(sentence["embedding"] as? [Double])
            XCTAssertEqual(ours.count, expected.count)
            let worst = zip(ours, expected).map { abs(Double($0) - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-5, "sentence \(index): \(text)")
            embeddings[index] = ours
        }
        let order = try XCTUnwrap(fixture["cosine_index_order"] as? [Int])
        let matrix = try XCTUnwrap(fixture["cosine_matrix"] as? [[Double]])
        for (i, a) in order.enumerated() {
            for (j, b) in order.enumerated() {
                let cosine = SentenceEncoder.cosine(try XCTUnwrap(embeddings[a]), try XCTUnwrap(embeddings[b]))
                XCTAssertEqual(Double(cosine), matrix[i][j], accuracy: 1e-5 + 5e-7)
            }
        }
    }
}
