import Foundation
import LLM
import Tensor
import XCTest

/// The real Gemma 3 270M base GGUF (Q4_K_M: Q8_0 embeddings, Q5_0/Q4_K/Q6_K/Q8_0 blocks), the
/// registry model `gemma-3-270m`, against transformers loading the same file
/// (Tests/Fixtures/gemma3_270m_reference.json, from scripts/fixtures/make_gemma3_270m_reference.py).
final class Gemma3GGUFParityTests: XCTestCase {
    private static let lock = NSLock()
    private static var cached: LanguageModel?
    static let tolerance: Float = 2e-3

    /// The model, or a skip naming the command that fetches it when the file is absent.
    static func model() throws -> LanguageModel {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let registry = ModelRegistry()
        guard let entry = ModelRegistry.entry(named: ModelRegistry.gemma3ModelName),
              FileManager.default.fileExists(atPath: registry.url(for: entry).path) else {
            throw XCTSkip("gemma-3-270m is not in the model cache (\(registry.cacheDirectory.path)); `make models` fetches it")
        }
        let model = try LanguageModel.load(ModelRegistry.gemma3ModelName)
        cached = model
        return model
    }

    static func reference() throws -> [String: Any] {
        try TokenizerTestSupport.fixture(TokenizerTestSupport.projectFixtures.appendingPathComponent("gemma3_270m_reference.json"))
    }

    static func cases() throws -> [[String: Any]] {
        try XCTUnwrap(reference()["cases"] as? [[String: Any]])
    }

    func testConfigMatchesTheFile() throws {
        let config = try Self.model().config
        XCTAssertEqual(config.family, .gemma3)
        XCTAssertEqual([config.layerCount, config.hiddenSize, config.headCount, config.kvHeadCount, config.headDim],
                       [18, 640, 4, 1, 256])
        // Five local layers (window 512, base 10 000) then one global (base 1 000 000).
        XCTAssertEqual(config.slidingWindow.map { $0 == nil }, (0..<18).map { ($0 + 1) % 6 == 0 })
        XCTAssertEqual(config.rotary.map(\.theta), (0..<18).map { ($0 + 1) % 6 == 0 ? 1_000_000 : 10_000 })
        XCTAssertEqual(config.slidingWindow.compactMap { $0 }.first, 512)
        XCTAssertEqual(config.attentionScale, 1 / Float(256).squareRoot())
        XCTAssertTrue(config.tiedEmbeddings)
        XCTAssertNil(try Self.model().chatTemplate, "the base model ships no chat template")
    }

    func testTokenIDsMatchTransformers() throws {
        let model = try Self.model()
        for item in try Self.cases() {
            let text = try XCTUnwrap(item["text"] as? String)
            let expected = try XCTUnwrap(item["input_ids"] as? [Int])
            let ids = item["kind"] as? String == "raw" ? model.tokenizer.encodePrompt(text) : model.tokenizer.encodeChat(text)
            XCTAssertEqual(ids, expected, text)
            // A rendered chat prompt already starts with <bos>: encodePrompt adds no second one.
            XCTAssertEqual(model.tokenizer.encodePrompt(text), expected, text)
        }
    }

    func testGemmaTemplateRendersTheReferenceChatPrompts() throws {
        let model = try Self.model().usingChatTemplate(.known(.gemma))
        let chats = try Self.cases().filter { $0["kind"] as? String == "chat" }
        XCTAssertFalse(chats.isEmpty)
        for item in chats {
            let text = try XCTUnwrap(item["text"] as? String)
            let user = try XCTUnwrap(text.components(separatedBy: "<start_of_turn>user\n").last?.components(separatedBy: "<end_of_turn>").first)
            XCTAssertEqual(try model.chatPrompt([.user(user)]), text)
        }
        XCTAssertTrue(model.eosTokenIDs.contains(try XCTUnwrap(model.tokenizer.id(for: "<end_of_turn>"))))
    }

    func testLogitsAndLogProbsMatchTransformers() throws {
        let model = try Self.model()
        for item in try Self.cases() {
            let ids = try XCTUnwrap(item["input_ids"] as? [Int])
            // Float32 products throughout, as transformers computes (short prompts would
            // otherwise read the blocks with 8-bit activations; see testBlockDecodingStaysClose).
            let logits = try QuantizedWeight.exactProducts { try Autograd.noGrad { try model.network.logits(tokens: ids) } }
            let vocabulary = logits.shape[1]
            let values = logits.scalars
            for row in try XCTUnwrap(item["logit_rows"] as? [[String: Any]]) {
                let position = try XCTUnwrap(row["position"] as? Int)
                let topIDs = try XCTUnwrap(row["top_ids"] as? [Int])
                let topLogits = try XCTUnwrap(row["top_logits"] as? [Double])
                for (id, expected) in zip(topIDs, topLogits) {
                    let actual = values[position * vocabulary + id]
                    XCTAssertEqual(actual, Float(expected), accuracy: Self.tolerance, "position \(position), id \(id)")
                }
                let rowValues = values[(position * vocabulary)..<((position + 1) * vocabulary)]
                let maximum = rowValues.max() ?? 0
                let logSumExp = maximum + log(rowValues.reduce(Float(0)) { $0 + exp($1 - maximum) })
                XCTAssertEqual(logSumExp, Float(try XCTUnwrap(row["logsumexp"] as? Double)), accuracy: Self.tolerance)
            }
            let expected = try XCTUnwrap(item["next_token_logprobs"] as? [Double])
            let scored = try model.score(ids).logProbs
            XCTAssertEqual(scored.count, expected.count)
            let worst = zip(scored, expected).map { abs(Double($0) - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, Double(Self.tolerance), "next-token log-probs of \(item["text"] ?? "")")
        }
    }

    func testCompletionLogProbsAddBOSOnRawPrompts() throws {
        let model = try Self.model()
        for item in try Self.cases() {
            let text = try XCTUnwrap(item["text"] as? String)
            let continuation = try XCTUnwrap(item["greedy_continuation"] as? [Int])
            let expected = try XCTUnwrap(item["continuation_logprobs"] as? [Double])
            let scored = try model.completionLogProbs(prompt: text, completionIDs: continuation)
            XCTAssertEqual(scored.count, expected.count)
            let worst = zip(scored, expected).map { abs(Double($0) - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, Double(Self.tolerance), "completion log-probs after \(text)")
        }
    }

    func testGreedyContinuationsMatchTransformers() throws {
        let model = try Self.model()
        for item in try Self.cases() {
            let ids = try XCTUnwrap(item["input_ids"] as? [Int])
            let expected = try XCTUnwrap(item["greedy_continuation"] as? [Int])
            // No end-of-sequence id: transformers ran all 30 tokens (eos_token_id=None).
            let options = GenerationOptions(maxNewTokens: expected.count, sampling: .greedy, eosTokenIDs: [-1])
            let result = try QuantizedWeight.exactProducts { try model.generate(prompts: [ids], options: options)[0] }
            XCTAssertEqual(result.tokens, expected, "\(item["text"] ?? "")")
        }
    }

    /// The fast decode path (block kernels, activations rounded to 8 bits as llama.cpp does)
    /// is not bit-exact, but its log-probs of the reference continuations stay close.
    func testBlockDecodingStaysClose() throws {
        let model = try Self.model()
        for item in try Self.cases() {
            let ids = try XCTUnwrap(item["input_ids"] as? [Int])
            let continuation = try XCTUnwrap(item["greedy_continuation"] as? [Int])
            let expected = try XCTUnwrap(item["continuation_logprobs"] as? [Double])
            let cache = model.network.makeCache(capacity: ids.count + continuation.count)
            var rows = [Tensor]()
            try Autograd.noGrad {
                rows.append(model.network.logits(try model.network.hiddenStates(SequenceBatch(tokens: [ids], caches: [cache]))))
                for id in continuation.dropLast() {
                    rows.append(try QuantizedWeight.decodingSteps {
                        model.network.logits(try model.network.hiddenStates(SequenceBatch(tokens: [[id]], caches: [cache])))
                    })
                }
            }
            let vocabulary = model.config.vocabularySize
            var worst = 0.0
            for (step, id) in continuation.enumerated() {
                let logits = rows[step].scalars
                let row = Array(logits[(logits.count - vocabulary)...])
                let maximum = row.max() ?? 0
                let logSumExp = maximum + log(row.reduce(Float(0)) { $0 + exp($1 - maximum) })
                worst = max(worst, abs(Double(row[id] - logSumExp) - expected[step]))
            }
            // Measured: 0.03 to 0.36 over these six prompts (2026-12).
            XCTAssertLessThanOrEqual(worst, 0.5, "block-kernel decoding of \(item["text"] ?? "")")
        }
    }

    func testRawGenerateAddsBOS() throws {
        let model = try Self.model()
        let item = try XCTUnwrap(Self.cases().first { $0["kind"] as? String == "raw" })
        let expected = try XCTUnwrap(item["greedy_continuation"] as? [Int])
        let options = GenerationOptions(maxNewTokens: 8, sampling: .greedy, eosTokenIDs: [-1])
        let text = try XCTUnwrap(item["text"] as? String)
        let result = try QuantizedWeight.exactProducts { try model.generate(text, options: options) }
        XCTAssertEqual(result.tokens, Array(expected.prefix(8)))
    }
}
