import Foundation
import GRPO
import LLM
import XCTest
import Runtime

/// `Model` in cells on the real default model (SmolLM2-135M-Instruct, fetched by `make models`).
final class PreludeModelTests: XCTestCase {
    private func session() -> TestSession {
        let t = TestSession()
        let load = t.run(#"let model = try Model.load("SmolLM2-135M-Instruct")"#)
        XCTAssertNil(load.error, "run `make models` first: \(String(describing: load.error))")
        return t
    }

    /// The issue's end-to-end check: a reward defined in a cell scores completions the default model produced.
    func testARewardWrittenInACellScoresCompletionsOfTheDefaultModel() {
        let t = session()
        XCTAssertNil(t.run(#"""
            let data = try Dataset.json("data/medical-o1-sample.json").rename(from: "Response", to: "answer")
            let row = data[0]
            let prompt = chat(system: "Answer in <answer></answer> tags.", user: row["Question"])
            let group = model.generate(prompt, count: 3, maxNewTokens: 24, temperature: 0.9, seed: 11)
            func overlap(completions: [String], answer: [String]) -> [Double?] {
                zip(completions, answer).map { completion, reference in
                    let words = Set(reference.lowercased().split(separator: " ").map { String($0) })
                    let said = completion.lowercased().split(separator: " ").map { String($0) }
                    guard !said.isEmpty else { return nil }
                    return Double(said.filter { words.contains($0) }.count) / Double(said.count)
                }
            }
            let scores = Reward(overlap).score(completions: group, row: row)
            """#).error)
        let printed = t.run(#"print(group.count, scores.count, group[0] == group[1], scores.allSatisfy { $0 == nil || ($0! >= 0 && $0! <= 1) })"#)
        XCTAssertEqual(printed.stdout, "3 3 false true\n")

        // The same numbers as the Swift API gives for the same completions.
        let completions = t.run(#"for c in group { print(c.replacingOccurrences(of: "\n", with: "⏎")) }"#).stdout
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.replacingOccurrences(of: "⏎", with: "\n") }
        XCTAssertEqual(completions.count, 3)
        let expected = t.run("print(scores)").stdout
        let again = t.run("print(Reward(overlap).score(completions: group, row: row))").stdout
        XCTAssertEqual(expected, again, "scoring is deterministic")

        // Reproducible: the same seed gives the same group.
        XCTAssertEqual(t.run(#"print(model.generate(prompt, count: 3, maxNewTokens: 24, temperature: 0.9, seed: 11) == group)"#).stdout, "true\n")
    }

    func testPromptLengthFilterCountsTemplatedTokensAndReportsDrops() {
        let t = session()
        let outcome = t.run(#"""
            let data = try Dataset.json("data/medical-o1-sample.json").chatPrompt(system: "Be brief.", userColumn: "Question")
            let short = data.filterPromptLength(maxLength: 45, model: model)
            """#)
        XCTAssertNil(outcome.error)
        let counts = t.run(#"print(short.count, short.rows.allSatisfy { model.tokenizer.count(model.chatPrompt($0["prompt"]!)) <= 45 })"#).stdout
        let kept = Int(counts.split(separator: " ")[0]) ?? -1
        XCTAssertTrue(kept > 0 && kept < 310, counts)
        XCTAssertTrue(counts.hasSuffix("true\n"), counts)
        XCTAssertTrue(outcome.stdout.hasPrefix("kept \(kept) rows, dropped \(310 - kept) with prompts longer than 45 (longest: "),
                      outcome.stdout)
    }

    func testChatStreamsTheReplyItReturns() {
        let t = session()
        let outcome = t.run(#"let reply = model.chat("What is the capital of France?", maxNewTokens: 16, greedy: true)"#)
        XCTAssertNil(outcome.error)
        let reply = t.run("print(reply)").stdout
        XCTAssertFalse(reply.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        XCTAssertEqual(outcome.stdout, reply, "the streamed text is the returned text")
        XCTAssertEqual(t.run(#"print(model.chat(system: "Be brief.", user: "Hi", maxNewTokens: 8, greedy: true, stream: false).isEmpty)"#).stdout,
                       "false\n")
    }

    func testScoringMatchesTheLibrary() throws {
        let t = session()
        let text = "Insulin lowers blood glucose."
        let printed = t.run("print(model.perplexity(\"\(text)\")); print(model.logProbs(\"\(text)\").count)").stdout
            .split(separator: "\n")
        let model = try LanguageModel.load(ModelRegistry.defaultModelName)
        let ids = model.tokenizer.encode(text)
        let logProbs = try model.completionLogProbs(prompt: "", completionIDs: ids)
        let perplexity = exp(-logProbs.reduce(0.0) { $0 + Double($1) } / Double(logProbs.count))
        XCTAssertEqual(Double(printed[0]) ?? 0, perplexity, accuracy: 1e-9 * perplexity)
        XCTAssertEqual(Int(printed[1]), logProbs.count)
        XCTAssertEqual(t.run("print(model.tokenizer.decode(model.tokenizer.encode(\"\(text)\")))").stdout, text + "\n")
        XCTAssertEqual(t.run("print(model.tokenizer.count(\"\(text)\"))").stdout, "\(ids.count)\n")
    }

    func testTheModelShowsArchitectureParametersAndMemory() throws {
        let sink = MemorySink()
        let session = Session(output: sink)
        _ = session.execute(#"let model = try Model.load("SmolLM2-135M-Instruct")"#)
        let bundle = try XCTUnwrap(try session.execute("model").get())
        XCTAssertTrue(bundle.plainText.contains("architecture: llama"), bundle.plainText)
        XCTAssertTrue(bundle.plainText.contains("134.5M"), bundle.plainText)
        XCTAssertTrue(bundle.plainText.contains("MiB Float32 + "), bundle.plainText)
        XCTAssertTrue(bundle.plainText.contains("quantized blocks"), bundle.plainText)
        XCTAssertTrue(bundle.data["text/html"]?.contains("<table>") ?? false)
    }

    func testInterruptStopsGenerationAndKeepsTheSession() {
        let t = session()
        let (outcome, latency) = t.runInterrupted(#"let long = model.generate("Once upon a time", maxNewTokens: 2000, temperature: 1.0)"#,
                                                  after: 1.0)
        XCTAssertEqual(outcome.error?.name, "InterruptError", "\(String(describing: outcome.error))")
        XCTAssertFalse(outcome.stdout.isEmpty, "tokens streamed before the interrupt")
        XCTAssertLessThan(latency, 1.5)
        XCTAssertEqual(t.run("print(model.name)").stdout, "SmolLM2-135M-Instruct\n")
    }

    func testBadInputGivesErrorsThatSayWhatToDo() {
        let t = session()
        let unknown = t.run(#"do { _ = try Model.load("no-such-model") } catch { print(error) }"#)
        XCTAssertTrue(unknown.stdout.contains("no-such-model"), unknown.stdout)
        XCTAssertTrue(t.run(#"model.generate("x", maxNewTokens: -1)"#).error?.message.contains("maxNewTokens must be between 0") ?? false)
        XCTAssertTrue(t.run(#"model.generate("x", maxNewTokens: Int.max)"#).error?.message.contains("context length 8192") ?? false)
        XCTAssertTrue(t.run(#"model.generate("x", count: Int.max)"#).error?.message.contains("count must be between 1 and 256") ?? false)
        XCTAssertTrue(t.run(#"model.generate("x", topP: 2.0)"#).error?.message.contains("topP") ?? false)
        XCTAssertTrue(t.run("model.generate(42)").error?.message.contains("chat messages") ?? false)
        XCTAssertTrue(t.run("model.tokenizer.decode([-1])").error?.message.contains("outside the vocabulary") ?? false)
        XCTAssertEqual(t.run("print(model.architecture)").stdout, "llama\n")
    }
}
