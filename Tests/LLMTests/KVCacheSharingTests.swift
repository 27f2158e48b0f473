import Foundation
import LLM
import Tensor
import XCTest

/// Completions that continue a prompt's KV cache read it in place (`KVCache.continuation`):
/// the same numbers as one cache holding prompt and completion, without a copy of the prompt.
final class KVCacheSharingTests: XCTestCase {
    private func tinyModel() throws -> CausalLanguageModel {
        let folder = TokenizerTestSupport.sharedFixtures.appendingPathComponent("tiny_models/llama")
        let config = try TransformerConfig(huggingFace: HuggingFaceConfig(contentsOf: folder.appendingPathComponent("config.json")))
        return try CausalLanguageModel(config: config, weights: try ModelWeights(checkpoint: HuggingFaceFolder(url: folder).checkpoint()))
    }

    private func hidden(_ model: CausalLanguageModel, _ tokens: [Int], _ cache: KVCache) throws -> [Float] {
        try Autograd.noGrad { try model.hiddenStates(SequenceBatch(tokens: [tokens], caches: [cache])).scalars }
    }

    func testAContinuationReadsThePromptInPlaceAndMatchesOneWholeCache() throws {
        let model = try tinyModel()
        let prompt = [3, 14, 15, 92, 65, 35, 89, 79, 32, 38, 46]  // longer than a decode step: the prefill takes sgemm
        let promptCache = model.makeCache(capacity: prompt.count)
        let whole = model.makeCache(capacity: prompt.count + 8)
        XCTAssertEqual(try hidden(model, prompt, promptCache), try hidden(model, prompt, whole))

        let first = promptCache.continuation(capacity: prompt.count + 8)
        let second = promptCache.continuation(capacity: prompt.count + 8)
        XCTAssertTrue(first.prefix === promptCache)
        XCTAssertEqual(first.prefixLength, prompt.count)
        XCTAssertEqual(first.length, prompt.count)
        // Steps of one and of three tokens; the second continuation is not disturbed by the first.
        for step in [[5], [6, 7, 8], [9]] {
            let reference = try hidden(model, step, whole)
            XCTAssertEqual(try hidden(model, step, first), reference, "step \(step)")
        }
        XCTAssertEqual(first.length, whole.length)
        let fresh = model.makeCache(capacity: prompt.count + 1)
        _ = try hidden(model, prompt, fresh)
        XCTAssertEqual(try hidden(model, [5], second), try hidden(model, [5], fresh))

        // A continuation of a continuation holds the first two segments as one copy.
        let nested = first.continuation(capacity: whole.length + 2)
        XCTAssertNotNil(nested.prefix)
        XCTAssertNil(nested.prefix?.prefix)
        XCTAssertEqual(nested.length, whole.length)
        XCTAssertEqual(try hidden(model, [10], nested), try hidden(model, [10], whole))
    }

    /// Float16 caches: a continuation still equals one whole cache bit for bit, and decoding
    /// stays within rounding of the Float32 cache's hidden states.
    func testFloat16CachesShareThePromptAndStayCloseToFloat32() throws {
        let model = try tinyModel()
        let prompt = [3, 14, 15, 92, 65, 35, 89, 79, 32, 38, 46]
        let promptCache = model.makeCache(capacity: prompt.count, format: .float16)
        let whole = model.makeCache(capacity: prompt.count + 8, format: .float16)
        let exact = model.makeCache(capacity: prompt.count + 8, format: .float32)
        XCTAssertEqual(try hidden(model, prompt, promptCache), try hidden(model, prompt, whole))
        _ = try hidden(model, prompt, exact)
        let continuation = promptCache.continuation(capacity: prompt.count + 8)
        XCTAssertEqual(continuation.format, .float16)
        for step in [[5], [6, 7, 8], [9], Array(10..<20)] where whole.length + step.count <= whole.capacity {
            let reference = try hidden(model, step, whole)
            XCTAssertEqual(try hidden(model, step, continuation), reference, "step \(step)")
            let unrounded = try hidden(model, step, exact)
            let worst = zip(reference, unrounded).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-2, "step \(step)")
            XCTAssertGreaterThan(worst, 0, "step \(step): halves should round something")
        }
    }

    func testAFullContinuationSaysSo() throws {
        let model = try tinyModel()
        let promptCache = model.makeCache(capacity: 3)
        _ = try hidden(model, [1, 2, 3], promptCache)
        let continuation = promptCache.continuation(capacity: 4)
        _ = try hidden(model, [4], continuation)
        XCTAssertThrowsError(try hidden(model, [5], continuation)) { error in
            XCTAssertEqual(error as? GenerationError, .contextFull(capacity: 4))
        }
    }
}
