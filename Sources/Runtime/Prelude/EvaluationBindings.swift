import Foundation
import TextFormats
import GRPO
import LLM

/// `Judge` (local or server), `evaluate(…)` and `EvaluationResult`: step 5 of the starter
/// notebook, base against tuned with an LLM judge.
enum EvaluationBindings {
    static func register(in registry: NativeRegistry) {
        registry.type("Judge", doc: "Scores answers 1–5 on medical accuracy, reasoning quality, format adherence, fluency "
                        + "and clarity, and overall usefulness; overall = their mean.") { type in
            registerJudges(type)
        }
        registerEvaluate(in: registry)
        registry.type("EvaluationResult", doc: "An evaluation's records, means, differences with confidence intervals, "
                        + "and paired tests.") { type in
            registerResult(type)
        }
        registry.type("EvaluationCases", doc: "Every case: question, each model's answer, scores and explanation.") { _ in }
    }

    // MARK: Judges

    private static func registerJudges(_ type: NativeType) {
        type.staticProperty("defaultPrompt", "String",
                            doc: "The judge prompt template; {question}, {reference} and {answer} are filled per case.") {
            .string(JudgePrompt.standard.template)
        }
        type.staticMethod("local", [.positional("model", "Model"), .labeled("prompt", "String?", default: .null),
                                    .labeled("explanationTokens", "Int", default: .int(80))], returns: "Judge",
                          doc: "A judge run on a loaded model: each score is the expected value of the model's next-token "
                            + "probabilities over 1…5 (G-Eval), so every case gets five scores; the explanation is "
                            + "generated after them.") { call in
            let model = try call.object("model", as: ModelObject.self).model
            let tokens = try call.int("explanationTokens")
            guard (0...1024).contains(tokens) else { throw call.error("explanationTokens must be between 0 and 1024, got \(tokens)") }
            return .object(JudgeObject(LocalJudge(model: model, prompt: try prompt(call), explanationTokens: tokens)))
        }
        type.staticMethod("server", [.positional("url", "String"), .labeled("model", "String"),
                                     .labeled("apiKeyVariable", "String?", default: .null),
                                     .labeled("prompt", "String?", default: .null),
                                     .labeled("concurrency", "Int", default: .int(4)),
                                     .labeled("timeout", "Double", default: .double(120)),
                                     .labeled("retries", "Int", default: .int(3)),
                                     .labeled("format", "String", default: .string("text"))], returns: "Judge",
                          doc: "A judge on an OpenAI-compatible server (OpenAI, vLLM, llama.cpp): url like "
                            + "http://127.0.0.1:8080/v1; the API key is read from the environment variable named by "
                            + "apiKeyVariable and never shown or saved.") { call in
            var settings = ChatCompletionClient.Settings(baseURL: try call.string("url"), model: try call.string("model"),
                                                          apiKeyVariable: try call.optional("apiKeyVariable").map {
                                                              try Convert.string($0, or: call.error("apiKeyVariable must be a String"))
                                                          })
            settings.concurrency = try call.int("concurrency")
            settings.timeout = try call.double("timeout")
            settings.retries = try call.int("retries")
            let format = try call.string("format")
            guard let replyFormat = ChatCompletionClient.ReplyFormat(rawValue: format) else {
                throw call.error("format must be \"text\", \"json-schema\" (OpenAI, vLLM) or \"json-object\" (llama.cpp), got \"\(format)\"")
            }
            settings.replyFormat = replyFormat
            return .object(JudgeObject(try OpenAICompatibleJudge(settings: settings, prompt: try prompt(call))))
        }
        type.property("name", "String", of: JudgeObject.self, doc: "The judge's name, as results record it.") { .string($0.judge.name) }
        type.property("prompt", "String", of: JudgeObject.self, doc: "The judge's prompt template.") { .string($0.judge.prompt.template) }
    }

    private static func prompt(_ call: NativeCall) throws -> JudgePrompt {
        guard let template = call.optional("prompt") else { return .standard }
        return try JudgePrompt(template: try Convert.string(template, or: call.error("prompt must be a String template")))
    }

    // MARK: evaluate

    private static func registerEvaluate(in registry: NativeRegistry) {
        let parameters: [NativeParameter] = [
            .positional("models", "[(String, Model, String?)]"),
            .labeled("on", "Dataset"),
            .labeled("judge", "Judge"),
            .labeled("count", "Int?", default: .null),
            .labeled("maxNewTokens", "Int", default: .int(200)),
            .labeled("temperature", "Double", default: .double(0.7)),
            .labeled("topP", "Double", default: .double(0.95)),
            .labeled("seed", "Int", default: .int(0)),
            .labeled("batchSize", "Int", default: .int(8)),
            .labeled("systemPrompt", "String?", default: .null),
            .labeled("questionColumn", "String", default: .string("Question")),
            .labeled("referenceColumn", "String", default: .string("Response")),
            .labeled("answerColumn", "String?", default: .null),
            .labeled("similarity", "Bool", default: .bool(true)),
            .labeled("output", "String?", default: .null),
            .labeled("resume", "Bool", default: .bool(false)),
        ]
        registry.function("evaluate", parameters, returns: "EvaluationResult",
                          doc: "Generates each model's answers (a (name, model) pair, or (name, model, adapterFolder) for a "
                            + "LoRA adapter) to the dataset's questions (same sampling and seeds for all), "
                            + "judges them, and returns means per metric and model, the difference of each model from the "
                            + "first with a 95% bootstrap CI and a paired permutation test, and metrics that need no judge. "
                            + "output: a JSONL file written as cases finish; resume: true continues it.") { call in
            let candidates = try candidates(call)
            let dataset = try call.object("on", as: DatasetObject.self).dataset
            let judge = try call.object("judge", as: JudgeObject.self).judge
            let options = try options(call, contextLength: candidates.map { $0.model.config.maxPositions }.min() ?? 0)
            var log: EvaluationLog?
            if let path = call.optional("output") {
                log = try EvaluationLog(url: URL(fileURLWithPath: try Convert.string(path, or: call.error("output must be a file path"))),
                                        mode: try call.bool("resume") ? .resume : .replace)
            }
            let context = call.context
            let display = ProgressDisplay(context: context, title: "Evaluation")
            do {
                let result = try evaluate(candidates, on: dataset, judge: judge, options: options, log: log,
                                          progress: { display.show($0) },
                                          isCancelled: { [interrupt = context.interrupt] in interrupt.isRequested })
                return .object(EvaluationResultObject(result))
            } catch JudgeError.cancelled {
                try context.checkInterrupt()
                throw JudgeError.cancelled
            }
        }
        registry.function("loadEvaluation", [.positional("path", "String")], returns: "EvaluationResult",
                          doc: "The results an evaluation saved as JSONL (output:).") { call in
            .object(EvaluationResultObject(try EvaluationResult.load(try call.string("path"))))
        }
    }

    /// `[("base", model), ("tuned", model, "adapter_folder")]`: a model as it is, or with a PEFT
    /// adapter folder attached while it answers (`nil` instead of a folder: adapters switched off).
    private static func candidates(_ call: NativeCall) throws -> [EvaluationCandidate] {
        try call.array("models").enumerated().map { index, item in
            guard case .tuple(let parts) = item.unwrapped ?? .void, (2...3).contains(parts.values.count),
                  case .string(let name)? = parts.values[0].unwrapped else {
                throw call.error("models[\(index)] must be (name, model) or (name, model, adapterFolder), such as "
                                 + "(\"base\", model), got \(item.typeName)", kind: .typeMismatch)
            }
            guard case .object(let object as ModelObject)? = parts.values[1].unwrapped else {
                throw call.error("models[\(index)].1 must be a Model, got \(parts.values[1].typeName)", kind: .typeMismatch)
            }
            guard parts.values.count == 3 else { return EvaluationCandidate(name: name, model: object.model) }
            switch parts.values[2].unwrapped {
            case nil:
                return .base(name, model: object.model)
            case .string(let folder)?:
                return try .adapter(name, model: object.model, folder: URL(fileURLWithPath: folder))
            default:
                throw call.error("models[\(index)].2 must be a LoRA adapter folder (String) or nil, got \(parts.values[2].typeName)",
                                 kind: .typeMismatch)
            }
        }
    }

    private static func options(_ call: NativeCall, contextLength: Int) throws -> EvaluationOptions {
        var options = EvaluationOptions()
        if let count = call.optional("count") {
            options.count = try Convert.int(count, or: call.error("count must be an Int"))
        }
        let maxNewTokens = try call.int("maxNewTokens")
        guard (1...contextLength).contains(maxNewTokens) else {
            throw call.error("maxNewTokens must be between 1 and the model's context length \(contextLength), got \(maxNewTokens)")
        }
        let temperature = try call.double("temperature"), topP = try call.double("topP"), seed = try call.int("seed")
        guard temperature >= 0, topP > 0, topP <= 1, seed >= 0 else {
            throw call.error("temperature must be ≥ 0 (0 = greedy), topP in (0, 1] and seed ≥ 0")
        }
        options.generation = GenerationOptions(maxNewTokens: maxNewTokens,
                                               sampling: SamplingOptions(temperature: Float(temperature), topP: Float(topP),
                                                                         greedy: temperature == 0),
                                               seed: UInt64(seed))
        let batchSize = try call.int("batchSize")
        guard (1...64).contains(batchSize) else { throw call.error("batchSize must be between 1 and 64, got \(batchSize)") }
        options.batchSize = batchSize
        if let system = call.optional("systemPrompt") {
            options.systemPrompt = try Convert.string(system, or: call.error("systemPrompt must be a String"))
        }
        options.questionColumn = try call.string("questionColumn")
        options.referenceColumn = try call.string("referenceColumn")
        options.answerColumn = try call.optional("answerColumn").map { try Convert.string($0, or: call.error("answerColumn must be a String")) }
        options.semanticSimilarity = try call.bool("similarity")
        return options
    }

    // MARK: Results

    private static func registerResult(_ type: NativeType) {
        type.property("cases", "EvaluationCases", of: EvaluationResultObject.self,
                      doc: "Every case: question, each model's answer, scores and explanation.") { .object(EvaluationCasesObject($0.result)) }
        type.property("models", "[String]", of: EvaluationResultObject.self, doc: "The models; the first is the baseline.") {
            .array($0.result.models.map { .string($0) })
        }
        type.property("records", "[[String: Any]]", of: EvaluationResultObject.self,
                      doc: "One dictionary per case and model, as saved in the JSONL file.") { object in
            .array(object.result.records.map(recordValue))
        }
        type.method("mean", [.positional("metric", "String"), .labeled("model", "String")], returns: "Double?",
                    doc: "The mean of a metric (a judge score, overall, or a metric without judge) for a model.") { call in
            let result = try call.receiver(as: EvaluationResultObject.self).result
            return result.mean(try call.string("metric"), model: try call.string("model")).mean.map { .optional(.double($0)) } ?? .null
        }
        type.method("caseText", [.positional("index", "Int")], returns: "String",
                    doc: "One case as text: the question, the reference, each model's answer, scores and explanation.") { call in
            .string(try call.receiver(as: EvaluationResultObject.self).result.caseText(try call.int("index")))
        }
    }

    private static func recordValue(_ record: EvaluationRecord) -> Value {
        let scores = DictionaryValue(JudgeMetric.all.map { metric in
            (.string(metric.key), record.scores[metric.key].map { .optional(.double($0)) } ?? .null)
        })
        let metrics = DictionaryValue(record.referenceMetrics.keys.sorted().map { key in
            (.string(key), (record.referenceMetrics[key] ?? nil).map { .optional(.double($0)) } ?? .null)
        })
        return .dictionary(DictionaryValue([
            (.string("case"), .int(record.caseIndex)), (.string("model"), .string(record.model)),
            (.string("question"), .string(record.question)), (.string("answer"), .string(record.answer)),
            (.string("scores"), .dictionary(scores)),
            (.string("overall"), record.overall.map { .optional(.double($0)) } ?? .null),
            (.string("explanation"), .string(record.explanation)),
            (.string("problem"), record.problem.map { .optional(.string($0)) } ?? .null),
            (.string("referenceMetrics"), .dictionary(metrics)),
        ]))
    }
}

/// A progress line updated in place (Jupyter update_display_data; one line per update in a
/// terminal): a bar, the fraction and what is being done.
final class ProgressDisplay: @unchecked Sendable {
    private let context: NativeContext
    private let id: String
    private let title: String
    private let lock = NSLock()
    private var shown = false

    init(context: NativeContext, title: String) {
        self.context = context
        self.title = title
        id = context.newDisplayID()
    }

    func show(_ progress: EvaluationProgress) {
        let width = 24
        let filled = Int((progress.fraction * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let percent = Int((progress.fraction * 100).rounded())
        let plain = "\(title) \(bar) \(percent)% \(progress)"
        let html = "<div><b>\(HTMLText.escape(title))</b> <progress value=\"\(progress.completed)\" max=\"\(max(1, progress.total))\">"
            + "</progress> \(percent)% <span>\(HTMLText.escape(progress.description))</span></div>"
        lock.withLock {
            context.output.display(MIMEBundle(data: ["text/plain": plain, "text/html": html]), displayID: id, update: shown)
            shown = true
        }
    }
}
