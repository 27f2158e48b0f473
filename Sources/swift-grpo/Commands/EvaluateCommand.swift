import ArgumentParser
import Foundation
import GRPO
import LLM

/// `swift-grpo evaluate`: step 5 of the starter notebook from the command line.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Judge a model's answers to held-out questions (and a tuned model's, against it) with an LLM judge.",
        discussion: """
            Answers the held-out rows (split == "test") of the bundled medical-o1 sample with the <reasoning>/<answer> \
            system prompt, judges each answer on five 1-5 scales (the local judge reads the judge model's probabilities \
            of the digits 1-5; a URL judge is any OpenAI-compatible server), and prints the mean of each metric per \
            model, the tuned - base difference with a 95% bootstrap CI and a paired permutation test, and metrics that \
            need no judge. --output FILE.jsonl saves one line per case and model; --resume continues such a file.
            """)

    @Option(help: "The base model: a registry name, a .gguf file, a Hugging Face folder or a cached HF id.")
    var model: String = ModelRegistry.defaultModelName
    @Option(help: "A PEFT LoRA adapter folder for --model: the adapted model (named \"tuned\") is compared against it.")
    var adapter: String?
    @Option(name: .customLong("tuned-model"), help: "A second model to compare against --model (named \"tuned\").")
    var tunedModel: String?
    @Option(name: .customLong("chat-template"),
            help: "The chat template for --model and --tuned-model instead of their own (base models have none): chatml, llama3, gemma, a template file, or Jinja text.")
    var chatTemplate: String?
    @Option(help: "A JSON, JSONL or CSV dataset (default: the bundled data/medical-o1-sample.json).")
    var data: String?
    @Option(help: "Keep the rows whose split column has this value (\"\" keeps every row).")
    var split = "test"
    @Option(help: "Evaluate the first N rows (default: all of them).")
    var count: Int?
    @Option(help: "\"local\" (judge with a model run here) or the base URL of an OpenAI-compatible server (http://host:port/v1).")
    var judge = "local"
    @Option(name: .customLong("judge-model"),
            help: "Local judge: the model to load (default: --model). Server: the model name to ask for (required).")
    var judgeModel: String?
    @Option(name: .customLong("api-key-env"), help: "The environment variable that holds the server's API key (never printed or saved).")
    var apiKeyEnv: String?
    @Option(help: "Save one JSON line per case and model here.")
    var output: String?
    @Flag(help: "Continue the run saved in --output: cases already judged are kept, the rest are done.")
    var resume = false
    @Option(name: .customLong("max-new-tokens"), help: "The longest answer, in tokens.")
    var maxNewTokens = 200
    @Option(help: "Sampling temperature of the answers (0 = greedy); the same for every model.")
    var temperature: Float = 0.7
    @Option(name: .customLong("top-p"), help: "Nucleus sampling threshold of the answers (1 = off).")
    var topP: Float = 0.95
    @Option(help: "Sampling seed; every model gets the same seeds.")
    var seed: UInt64 = 0
    @Option(name: .customLong("batch-size"), help: "Questions answered as one batch.")
    var batchSize = 8
    @Option(name: .customLong("judge-format"),
            help: "Server judge: ask for free text, or constrain the reply to JSON: json-schema (OpenAI, vLLM) or json-object (llama.cpp's Python server).")
    var judgeFormat: ChatCompletionClient.ReplyFormat = .text
    @Option(help: "Server judge: requests in flight at once.")
    var concurrency = 4
    @Option(help: "Server judge: seconds to wait for a reply.")
    var timeout: Double = 120
    @Option(help: "Server judge: further attempts after 429, 5xx, malformed replies or connection errors.")
    var retries = 3
    @Flag(name: .customLong("no-similarity"), help: "Skip the MiniLM similarity to the reference answers.")
    var noSimilarity = false
    @Option(name: .customLong("show-cases"), help: "Also print the first N cases (question, answers, scores, explanation).")
    var showCases = 0

    func validate() throws {
        if adapter != nil && tunedModel != nil { throw ValidationError("Pass --adapter DIR or --tuned-model MODEL, not both.") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1.") }
        if resume && output == nil { throw ValidationError("--resume needs --output FILE.jsonl (the run to continue).") }
        guard (1...64).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 64.") }
        guard maxNewTokens >= 1 else { throw ValidationError("--max-new-tokens must be at least 1.") }
        guard temperature >= 0, topP > 0, topP <= 1 else { throw ValidationError("--temperature must be ≥ 0 and --top-p in (0, 1].") }
        if judge != "local" && judgeModel == nil {
            throw ValidationError("A server judge needs --judge-model NAME (the model name the server knows).")
        }
        if judge == "local" && apiKeyEnv != nil { throw ValidationError("--api-key-env is for a server judge (--judge URL).") }
    }

    func run() throws {
        let dataset = try heldOutRows()
        let serverJudge = judge == "local" ? nil : try makeServerJudge()
        let base = try LanguageModel.load(model, chatTemplate: chatTemplate)
        var candidates = [EvaluationCandidate.base("base", model: base)]
        if let adapter {
            candidates.append(try .adapter("tuned", model: base, folder: URL(fileURLWithPath: adapter)))
        }
        if let tunedModel { candidates.append(EvaluationCandidate(name: "tuned", model: try LanguageModel.load(tunedModel, chatTemplate: chatTemplate))) }
        let judge: any Judge = try serverJudge ?? LocalJudge(model: judgeModel.map { try LanguageModel.load($0) } ?? base)

        var options = EvaluationOptions(count: count)
        options.generation = GenerationOptions(maxNewTokens: maxNewTokens,
                                               sampling: SamplingOptions(temperature: temperature, topP: topP, greedy: temperature == 0),
                                               seed: seed)
        options.batchSize = batchSize
        options.semanticSimilarity = !noSimilarity
        let log = try output.map { try EvaluationLog(url: URL(fileURLWithPath: $0), mode: resume ? .resume : .create) }
        if let log, !log.existing.isEmpty { note("resuming \(log.url.path): \(log.existing.count) records already judged") }

        // Judges report from their worker threads: one line per finished step.
        let lock = NSLock()
        var lastCompleted = -1
        let result = try evaluate(candidates, on: dataset, judge: judge, options: options, log: log) { progress in
            lock.withLock {
                guard progress.completed != lastCompleted || progress.stage == .finished else { return }
                lastCompleted = progress.completed
                note("[\(progress.completed)/\(progress.total)] \(progress)")
            }
        }
        print(result.text)
        for index in result.caseIndices.prefix(showCases) { print("\n" + result.caseText(index)) }
        if let output { note("saved \(result.records.count) records to \(output)") }
    }

    /// The dataset's rows for this split.
    private func heldOutRows() throws -> Dataset {
        let path = try data ?? Self.bundledSample()
        let all = try Dataset.load(path)
        guard !split.isEmpty else { return all }
        guard all.columns.contains("split") else {
            throw ValidationError("\(path) has no split column; pass --split \"\" to evaluate every row.")
        }
        let rows = all.filter { $0["split"].text == split }
        guard !rows.isEmpty else { throw ValidationError("\(path) has no rows with split == \"\(split)\".") }
        return rows
    }

    /// `data/medical-o1-sample.json` beside the working directory or the checkout the binary was built in.
    private static func bundledSample() throws -> String {
        let relative = "data/medical-o1-sample.json"
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relative)]
            + (1...4).map { depth in
                (0..<depth).reduce(executable.deletingLastPathComponent()) { url, _ in url.deletingLastPathComponent() }
                    .appendingPathComponent(relative)
            }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw ValidationError("Cannot find the bundled \(relative); run from the project folder or pass --data FILE.")
        }
        return found.path
    }

    private func makeServerJudge() throws -> any Judge {
        var settings = ChatCompletionClient.Settings(baseURL: judge, model: judgeModel ?? "", apiKeyVariable: apiKeyEnv)
        settings.concurrency = concurrency
        settings.timeout = timeout
        settings.retries = retries
        settings.replyFormat = judgeFormat
        return try OpenAICompatibleJudge(settings: settings)
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

extension ChatCompletionClient.ReplyFormat: ExpressibleByArgument {}
