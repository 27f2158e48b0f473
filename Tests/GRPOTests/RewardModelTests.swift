import Foundation
import GRPO
import LLM
import XCTest

/// Semantic and perplexity rewards with the real encoder and the real default model
/// (loaded once for the class).
final class RewardModelTests: XCTestCase {
    static let encoder = Result { try SentenceEncoder.load() }
    static let model = Result { try LanguageModel.load("SmolLM2-135M-Instruct") }

    func testSemanticOfATextWithItselfIsOne() throws {
        let encoder = try Self.encoder.get()
        let reward = Reward.semanticCorrectness(encoder: encoder)
        let answers: [DatasetValue] = ["The mitral valve", "Aspirin irreversibly inhibits cyclooxygenase.",
                                       "The mitral valve", "Insulin lowers blood glucose.", .null]
        let completions = ["<reasoning>\nIt sits between the left atrium and ventricle.\n</reasoning>\n<answer>\nThe mitral valve\n</answer>\n",
                           "Aspirin irreversibly inhibits cyclooxygenase.",
                           "<answer>A recipe for chocolate cake</answer>", "<answer></answer>", "anything"]
        let scores = try reward.score(RewardBatch(completions: completions, columns: ["answer": answers]))
        XCTAssertEqual(scores[0] ?? .nan, 1, accuracy: 1e-6)
        XCTAssertEqual(scores[1] ?? .nan, 1, accuracy: 1e-6)
        XCTAssertLessThan(scores[2] ?? .nan, 0.5)
        XCTAssertEqual(scores[3], 0)
        XCTAssertNil(scores[4])
        // The reward is the cosine of the encoder's embeddings of answer and reference.
        let direct = Reward.cosineSimilarity(try encoder.embed("A recipe for chocolate cake"), try encoder.embed("The mitral valve"))
        XCTAssertEqual(scores[2] ?? .nan, direct, accuracy: 1e-12)
        XCTAssertEqual(direct, Double(SentenceEncoder.cosine(try encoder.embed("A recipe for chocolate cake"),
                                                             try encoder.embed("The mitral valve"))), accuracy: 1e-5)
    }

    func testPerplexityNormalisationMatchesScoreByHand() throws {
        let model = try Self.model.get()
        let prompt = "The capital of France is"
        let completions = [" Paris.", " a purple banana"]
        let reward = Reward.perplexity(model: model)
        let scores = try reward.score(RewardBatch(prompts: [prompt, prompt], completions: completions))

        // By hand: the completion tokens' log-probs from score(prompt + completion ids).
        let promptIDs = model.tokenizer.encode(prompt)
        let perplexities = try completions.map { completion -> Double in
            let ids = model.tokenizer.encode(completion)
            let logProbs = try model.score(promptIDs + ids).logProbs
            let own = logProbs[(promptIDs.count - 1)..<(promptIDs.count - 1 + ids.count)]
            return exp(-own.map(Double.init).reduce(0, +) / Double(ids.count))
        }
        let mean = (perplexities[0] + perplexities[1]) / 2
        for row in 0..<2 {
            let expected = 1 / (perplexities[row] / (mean + 1e-9))
            XCTAssertEqual(scores[row] ?? .nan, expected, accuracy: 1e-9 * expected)
        }
        XCTAssertGreaterThan(scores[0] ?? 0, scores[1] ?? .infinity, "\" Paris.\" should be likelier than a purple banana")
        XCTAssertGreaterThan(perplexities[0], 1)
        XCTAssertEqual(try Reward.completionPerplexity(model: model, prompt: prompt, completionIDs: []), nil)
    }

    func testDefaultCombinedMixIsHalfSemanticPlusPerplexityAndTags() throws {
        let model = try Self.model.get(), encoder = try Self.encoder.get()
        let completions = ["<reasoning>\nFrance.\n</reasoning>\n<answer>\nParis\n</answer>\n", "<answer>Lyon</answer>", ""]
        let batch = try RewardBatch(prompts: Array(repeating: "Capital of France?", count: 3), completions: completions,
                                    columns: ["answer": ["Paris", "Paris", "Paris"]])
        let combined = try Reward.combined(model: model, encoder: encoder, clamp: nil).score(batch)
        let semantic = try Reward.semanticCorrectness(encoder: encoder).score(batch)
        let perplexity = try Reward.perplexity(model: model).score(batch)
        let tags = try Reward.tagPresence().score(batch)
        for row in 0..<2 {
            let expected = 0.5 * (semantic[row] ?? .nan) + 0.4 * (perplexity[row] ?? .nan) + 0.1 * (tags[row] ?? .nan)
            XCTAssertEqual(combined[row] ?? .nan, expected, accuracy: 1e-12)
        }
        XCTAssertEqual(combined[2], -1.0)
        XCTAssertNil(perplexity[2])
    }
}
