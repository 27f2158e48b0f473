import ArgumentParser
import Foundation
import GRPO
import LLM
import Tensor

/// `swift-grpo bench grpo`: GRPO steps on the TRL anchor's configuration, timed by stage.
struct BenchGRPOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpo",
        abstract: "Time GRPO steps as the TRL anchor does: G = 4, 4 completions of exactly 128 tokens from one "
            + "64-token chat prompt, LoRA r = 16 on all seven projections, beta 0.04, loss grpo.")

    @Option(help: "A registry name, a .gguf file, a Hugging Face folder or a cached HF id.")
    var model: String = ModelRegistry.defaultModelName
    @Option(help: "Threads for OpenBLAS and parallel loops (default: all cores).")
    var threads: Int?
    @Option(help: "Steps to run; the first is a warm-up and the median of the rest is reported.")
    var steps = 3
    @Option(name: .customLong("completion-tokens"), help: "Tokens per completion (EOS ignored).")
    var completionTokens = 128
    @Option(name: .customLong("prompt-tokens"), help: "Tokens per chat-templated prompt.")
    var promptTokens = 64
    @Option(name: .customLong("gradient-checkpointing"), help: "on, off or auto (from the memory estimate).")
    var gradientCheckpointing = "auto"
    @Flag(help: "Print one JSON line instead of the table.")
    var json = false

    func run() throws {
        if let threads {
            BLAS.setThreadCount(threads)
            Parallel.setThreadCount(threads)
        }
        let languageModel = try LanguageModel.load(model)
        let prompt = try Self.prompt(for: languageModel, tokens: promptTokens)
        let dataset = Dataset((0..<4).map { _ in ["prompt": prompt] })

        var config = GRPOConfig(learningRate: 5e-6, numGenerations: 4, maxCompletionLength: completionTokens,
                                maxSteps: max(1, steps), beta: 0.04, perDeviceTrainBatchSize: 4,
                                temperature: 0.9, lossType: .grpo, seed: 0,
                                outputDir: FileManager.default.temporaryDirectory.appendingPathComponent("bench-grpo-\(getpid())").path)
        config.saveSteps = 0
        config.loggingSteps = 1_000_000
        switch gradientCheckpointing {
        case "on": config.gradientCheckpointing = true
        case "off": config.gradientCheckpointing = false
        case "auto": config.gradientCheckpointing = nil
        default: throw ValidationError("--gradient-checkpointing is on, off or auto, not \(gradientCheckpointing).")
        }
        defer { try? FileManager.default.removeItem(atPath: config.outputDir) }
        let trainer = try GRPOTrainer(model: languageModel, rewards: [Reward.tagPresence()], config: config,
                                      dataset: dataset, lora: LoRAConfig(rank: 16, alpha: 16))
        trainer.rollout.ignoresEndOfSequence = true

        var records: [(metrics: StepMetrics, timings: [String: Double])] = []
        for _ in 0 ..< max(1, steps) {
            guard let metrics = try trainer.step() else { break }
            records.append((metrics, trainer.lastStepTimings))
        }
        let measured = records.count > 1 ? Array(records.dropFirst()) : records
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return .nan }
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        func stage(_ name: String) -> Double { median(measured.map { $0.timings[name] ?? 0 }) }
        let stepSeconds = median(measured.map { $0.metrics["step_time"] ?? .nan })
        let rollout = stage("rollout"), reference = stage("reference") + stage("old")
        let forwardBackward = stage("forward_backward"), optimizer = stage("optimizer"), rewards = stage("rewards")
        let trainedTokens = Double(4 * (promptTokens + completionTokens))
        let tokensPerSecond = trainedTokens / forwardBackward
        let peak = Double(ProcessMemory.peakResidentBytes ?? 0) / 1_048_576
        // Packed as the trainer packs them: the shared prompt once, then each completion's rows.
        let recomputedBlocks = trainer.recomputedBlockCount(rowsPerSequence: [promptTokens] + Array(repeating: completionTokens - 1, count: 4))
        let recomputed = recomputedBlocks > 0
        if json {
            let fields: [(String, Any)] = [
                ("step_s", stepSeconds), ("rollout_s", rollout), ("reference_s", reference),
                ("forward_backward_s", forwardBackward), ("optimizer_s", optimizer), ("rewards_s", rewards),
                ("rollout_cpu_s", stage("rollout_cpu")), ("reference_cpu_s", stage("reference_cpu")),
                ("forward_backward_cpu_s", stage("forward_backward_cpu")),
                ("train_tokens_per_s", tokensPerSecond), ("decode_tokens_per_s", Double(4 * completionTokens) / rollout),
                ("peak_rss_mib", peak), ("threads", BLAS.threadCount), ("steps_measured", measured.count),
                ("gradient_checkpointing", recomputed), ("recomputed_blocks", recomputedBlocks),
            ]
            print("{" + fields.map { name, value in
                let text: String
                if let number = value as? Double { text = number.isFinite ? String(format: "%.4f", number) : "null" } else { text = "\(value)" }
                return "\"\(name)\": \(text)"
            }.joined(separator: ", ") + "}")
            return
        }
        print("model: \(languageModel.location.url.lastPathComponent); OpenBLAS \(BLAS.coreName), \(BLAS.threadCount) threads")
        print("GRPO step: G = 4, 4 × (\(promptTokens) + \(completionTokens)) tokens, LoRA r = 16 × 7 projections "
              + "(\(trainer.adapter.parameterCount) parameters), beta 0.04; gradient checkpointing \(recomputed ? "on (\(recomputedBlocks) blocks)" : "off"); "
              + "median of \(measured.count) step(s) after a warm-up")
        let rows: [(String, Double)] = [("rollout (generate 4 × \(completionTokens))", rollout),
                                        ("reference log-probs (adapter off)", reference),
                                        ("forward + loss + backward", forwardBackward),
                                        ("clip + AdamW", optimizer), ("rewards", rewards), ("whole step", stepSeconds)]
        for (name, seconds) in rows {
            print("  " + name.padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "%8.3f s", seconds))
        }
        print(String(format: "training tokens/s (forward+backward): %.0f", tokensPerSecond))
        print(String(format: "decode tokens/s in the rollout: %.1f", Double(4 * completionTokens) / rollout))
        print(String(format: "peak RSS: %.0f MiB", peak))
    }

    /// A chat prompt of exactly `tokens` tokens: the anchor's system prompt and a medical question
    /// padded with a clinical instruction, cut token by token.
    static func prompt(for model: LanguageModel, tokens: Int) throws -> DatasetValue {
        let system = "Respond in the following format:\n<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>"
        let question = "What is the normal range of adult resting heart rate?"
        let padding = " Explain the physiology, list common causes of deviations, and describe when a clinician should investigate further."
        let padIDs = model.tokenizer.encode(String(repeating: padding, count: 4))
        var best = Dataset.chatMessages(system: system, user: question)
        for count in 0...padIDs.count {
            let user = question + model.tokenizer.decode(Array(padIDs.prefix(count)), skipSpecialTokens: true)
            let messages = Dataset.chatMessages(system: system, user: user)
            let text = try model.chatPrompt([.system(system), .user(user)])
            let length = model.tokenizer.encode(text).count
            if length > tokens { break }
            best = messages
        }
        return best
    }
}
