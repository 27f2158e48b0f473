import ArgumentParser
import Foundation
import GRPO
import LLM
import Tensor
import Yams

/// `swift-grpo train CONFIG`: a whole GRPO run from a YAML or JSON file, like `trl grpo --config`.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Run GRPO training described by a YAML or JSON config file (TRL field names, snake_case or camelCase).",
        discussion: """
        The file names the model, the dataset and its prompt column(s), built-in rewards with weights, LoRA \
        settings and every GRPOConfig field at the top level, e.g.
          model: SmolLM2-135M-Instruct
          dataset: data/medical-o1-sample.json
          prompt_column: Question
          system_prompt: "Respond in <reasoning>...</reasoning><answer>...</answer> format."
          answer_column: Response
          rewards: [strictFormat, {name: exactAnswer, weight: 2}]
          lora: {r: 16, lora_alpha: 16}
          learning_rate: 5.0e-6
          num_generations: 4
          per_device_train_batch_size: 4
          max_completion_length: 128
          max_steps: 100
          output_dir: runs/medical
        Checkpoints go to OUTPUT_DIR/checkpoint-N; the log to OUTPUT_DIR/metrics.jsonl. Ctrl-C stops at the next \
        micro-step and saves nothing half done; --resume continues from the latest checkpoint.
        """)

    @Argument(help: "The config file (.yaml, .yml or .json).")
    var config: String
    @Flag(help: "Continue from the latest checkpoint in the output folder.")
    var resume = false
    @Option(help: "Threads for OpenBLAS and parallel loops (default: all cores).")
    var threads: Int?

    func run() throws {
        if let threads {
            BLAS.setThreadCount(threads)
            Parallel.setThreadCount(threads)
        }
        let url = URL(fileURLWithPath: config)
        let job = try GRPOJob(dictionary: try Self.readConfigFile(url))
        let languageModel = try LanguageModel.load(job.model)
        let dataset = try job.loadDataset()
        let rewards = try job.makeRewards(model: languageModel)
        let trainer = try GRPOTrainer(model: languageModel, rewards: rewards, config: job.grpo, dataset: dataset,
                                      lora: job.lora)
        print("model \(languageModel.location.url.lastPathComponent), \(dataset.count) prompts, "
              + "\(trainer.adapter.parameterCount) LoRA parameters, \(trainer.totalSteps) steps → \(job.grpo.outputDir)")
        if resume {
            let folder = try trainer.resume()
            print("resumed from \(folder.lastPathComponent) at step \(trainer.state.step)")
        }
        let progress = ProgressLine(totalSteps: trainer.totalSteps)
        trainer.observers.append(progress)
        let interrupt = InterruptFlag.installed()
        let finished = try trainer.train(isCancelled: { interrupt.isSet })
        progress.finish()
        if finished {
            print("done: \(trainer.state.step) steps, \(trainer.state.skippedUpdates) skipped updates; log \(trainer.metricsLog.url.path)")
        } else {
            print("interrupted at step \(trainer.state.step); run again with --resume to continue from the last checkpoint.")
            throw ExitCode(130)
        }
    }

    /// The file as a dictionary: JSON for .json, YAML (through Yams) otherwise.
    static func readConfigFile(_ url: URL) throws -> [String: Any] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ValidationError("Cannot read the config file \(url.path).")
        }
        let parsed: Any?
        do {
            if url.pathExtension.lowercased() == "json" {
                parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
            } else {
                parsed = try Yams.load(yaml: text)
            }
        } catch {
            throw ValidationError("\(url.path) is not valid \(url.pathExtension.lowercased() == "json" ? "JSON" : "YAML"): \(error)")
        }
        guard let object = parsed as? [String: Any] else {
            throw ValidationError("\(url.path) must hold a mapping of settings (model:, dataset:, rewards:, …).")
        }
        return object
    }
}

/// One line of progress per step (rewritten in place on a terminal), and warnings on their own lines.
final class ProgressLine: TrainerObserver {
    let totalSteps: Int
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private var times: [Double] = []
    private var wroteInPlace = false

    init(totalSteps: Int) {
        self.totalSteps = totalSteps
    }

    func trainerDidFinishStep(_ metrics: StepMetrics) {
        times.append(metrics["step_time"] ?? 0)
        let mean = times.suffix(10).reduce(0, +) / Double(min(times.count, 10))
        let eta = mean * Double(totalSteps - metrics.step)
        func value(_ name: String, _ format: String) -> String {
            metrics[name].map { String(format: format, $0) } ?? "-"
        }
        let line = "step \(metrics.step)/\(totalSteps) | reward \(value("reward", "%.3f")) ± \(value("reward_std", "%.3f"))"
            + " | zero-std \(value("frac_reward_zero_std", "%.2f")) | kl \(value("kl", "%.4f")) | loss \(value("loss", "%.4f"))"
            + " | len \(value("completions/mean_length", "%.0f")) | \(String(format: "%.1f", mean)) s/step | eta \(Self.duration(eta))"
        if isTerminal {
            print("\r\u{1B}[2K" + line, terminator: "")
            fflush(stdout)
            wroteInPlace = true
        } else {
            print(line)
        }
    }

    func trainerDidWarn(_ warning: TrainerWarning) {
        endLine()
        FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
    }

    func trainerDidSaveCheckpoint(_ folder: String, step: Int) {
        endLine()
        print("saved \(folder)")
    }

    func finish() { endLine() }

    private func endLine() {
        if wroteInPlace { print("") }
        wroteInPlace = false
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        let total = Int(seconds.rounded())
        return total >= 3600 ? "\(total / 3600)h\(total % 3600 / 60)m" : total >= 60 ? "\(total / 60)m\(total % 60)s" : "\(total)s"
    }
}
