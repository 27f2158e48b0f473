import Foundation
import LLM
import Tensor
import XCTest

/// Prompt-prefix sharing and continuous batching in `TextGenerator`, on the tiny Llama fixture:
/// a sequence's tokens must not depend on the other sequences of the call.
final class GenerationBatchingTests: XCTestCase {
    private func tinyModel() throws -> CausalLanguageModel {
        let folder = TokenizerTestSupport.sharedFixtures.appendingPathComponent("tiny_models/llama")
        let config = try TransformerConfig(huggingFace: HuggingFaceConfig(contentsOf: folder.appendingPathComponent("config.json")))
        return try CausalLanguageModel(config: config, weights: try ModelWeights(checkpoint: HuggingFaceFolder(url: folder).checkpoint()))
    }

    /// 9 distinct prompts × 4 completions (identical prompts side by side, as GRPO passes them)
    /// and one more: more sequences than `TextGenerator.batchWidth`, finishing at different steps.
    private func groupedPrompts() -> [[Int]] {
        let distinct = (0..<9).map { p in (0..<(3 + p)).map { (17 * p + 31 * $0 + 5) % 300 + 1 } }
        return distinct.flatMap { Array(repeating: $0, count: 4) } + [[7, 8, 9]]
    }

    private let options = GenerationOptions(maxNewTokens: 9, sampling: SamplingOptions(temperature: 0.9),
                                            eosTokenIDs: Set(0..<25), seed: 3)

    func testEachSequenceGetsWhatItGetsAloneWhateverTheBatch() throws {
        let model = try tinyModel()
        let prompts = groupedPrompts()
        XCTAssertGreaterThan(prompts.count, TextGenerator.batchWidth)
        let together = try TextGenerator(model: model, tokenizer: nil).generate(prompts: prompts, options: options)
        XCTAssertTrue(Set(together.map(\.tokens.count)).count > 1, "sequences should finish at different steps")
        XCTAssertTrue(together.contains { $0.finishReason == .endOfSequence })
        // Sequence i samples from the stream of (seed, i): run it with i different one-token
        // prompts in front (no sharing, other finishing times), and once more in a batch of one.
        for index in [0, 1, 5, 30, 33, 36] {
            let alone = Array(repeating: [index + 1], count: index) + [prompts[index]]
            let result = try TextGenerator(model: model, tokenizer: nil).generate(prompts: alone, options: options)[index]
            XCTAssertEqual(result, together[index], "sequence \(index)")
        }
        XCTAssertEqual(try TextGenerator(model: model, tokenizer: nil).generate(prompts: prompts, options: options), together)
        // The head's product over 3 rows at a time instead of the whole batch.
        var narrow = TextGenerator(model: model, tokenizer: nil)
        narrow.logitsBudget = 3 * model.config.vocabularySize * MemoryLayout<Float>.size
        XCTAssertEqual(try narrow.generate(prompts: prompts, options: options), together)
    }

    func testCompletionsOfOnePromptDifferOnlyByTheirStreams() throws {
        let model = try tinyModel()
        let prompt = [3, 14, 15, 92, 65]
        let greedy = GenerationOptions(maxNewTokens: 6, sampling: .greedy, seed: 3)
        let results = try TextGenerator(model: model, tokenizer: nil).generate(prompts: Array(repeating: prompt, count: 5), options: greedy)
        let alone = try TextGenerator(model: model, tokenizer: nil).generate(prompts: [prompt], options: greedy)[0]
        XCTAssertEqual(results, Array(repeating: alone, count: 5), "greedy completions of a shared prefill equal the prompt alone")
        let sampled = try TextGenerator(model: model, tokenizer: nil).generate(prompts: Array(repeating: prompt, count: 5),
                                                                            options: GenerationOptions(maxNewTokens: 6, sampling: SamplingOptions(temperature: 2), seed: 3))
        XCTAssertGreaterThan(Set(sampled.map(\.tokens)).count, 1, "each completion samples from its own stream")
    }

    func testCancellationEndsRunningAndWaitingSequences() throws {
        let model = try tinyModel()
        var polls = 0
        let results = try TextGenerator(model: model, tokenizer: nil).generate(
            prompts: groupedPrompts(), options: GenerationOptions(maxNewTokens: 50, sampling: .greedy),
            isCancelled: { polls += 1; return polls > 3 })
        XCTAssertTrue(results.allSatisfy { $0.finishReason == .cancelled || $0.tokens.count < 50 })
        XCTAssertTrue(results.prefix(TextGenerator.batchWidth).contains { $0.finishReason == .cancelled && !$0.tokens.isEmpty })
        XCTAssertTrue(results.suffix(3).allSatisfy { $0.finishReason == .cancelled && $0.tokens.isEmpty },
                      "sequences that never started end cancelled with no tokens")
    }
}
