import Foundation
import LLM
import TextFormats

/// A whole GRPO run described by one config file (what `swift-grpo train CONFIG` reads), like
/// `trl grpo --config`: the model, the dataset and how to build prompts from it, built-in rewards
/// with weights, LoRA settings, and every `GRPOConfig` field at the top level (camelCase or
/// snake_case). Unknown fields are errors that suggest the closest known name.
///
/// ```yaml
/// model: SmolLM2-135M-Instruct
/// dataset: data/medical-o1-sample.json
/// prompt_column: Question          # text → chat prompt (system + user), or a messages column
/// system_prompt: "Answer in <reasoning>…</reasoning><answer>…</answer> form."
/// answer_column: Response          # copied to "answer", which the answer rewards read
/// rewards: [strictFormat, {name: exactAnswer, weight: 2}]
/// lora: {r: 16, lora_alpha: 16}
/// learning_rate: 5.0e-6
/// num_generations: 4
/// max_completion_length: 128
/// max_steps: 100
/// output_dir: runs/medical
/// ```
public struct GRPOJob {
    /// A built-in reward by name, with its weight and options (`column`, `score`, `atol`, `rtol`,
    /// `soft_cache_length`, `case_sensitive`).
    public struct RewardSpec: Equatable {
        public var name: String
        public var weight: Double?
        public var options: [String: String]
    }

    public var model = ModelRegistry.defaultModelName
    public var dataset: String
    /// A JSON dataset's field holding the rows (when the rows are not at the top level).
    public var datasetField: String?
    /// Keep only the rows whose columns hold these values (`dataset_filter: {split: train}`).
    public var datasetFilter: [String: String] = [:]
    /// Use only the first rows of the dataset (after the filter).
    public var datasetLimit: Int?
    /// The column holding each prompt: text (wrapped as a chat prompt) or chat messages.
    public var promptColumn = "prompt"
    public var systemPrompt: String?
    /// A plain-text prompt template (`"Question: {Question}\nAnswer:"`) instead of the chat template.
    public var promptTemplate: String?
    /// False = feed text prompts to the model as they are (no chat template).
    public var chat = true
    /// Copied to the column "answer" that the answer rewards read.
    public var answerColumn: String?
    public var rewards: [RewardSpec] = []
    public var lora = LoRAConfig()
    public var grpo = GRPOConfig()

    static let jobFields = ["model", "dataset", "datasetField", "datasetFilter", "datasetLimit", "promptColumn", "systemPrompt",
                            "promptTemplate", "chat", "answerColumn", "rewards", "lora"]
    static let loraFields = ["r", "rank", "loraAlpha", "alpha", "loraDropout", "dropout", "targetModules",
                             "useRslora", "useRSLoRA", "seed"]
    /// The built-in rewards `rewards:` may name.
    public static let rewardNames = ["tagPresence", "strictFormat", "softFormat", "xmlCount", "exactAnswer", "intAnswer",
                                     "numericTolerance", "semanticCorrectness", "lengthPenalty", "overlongPenalty", "perplexity",
                                     "combined"]

    /// Reads a parsed YAML/JSON object (keys camelCase or snake_case).
    public init(dictionary raw: [String: Any]) throws {
        let fields = try Self.normalized(raw, known: Self.jobFields + GRPOConfig.fieldNames, context: "the config file")
        guard let dataset = fields["dataset"] as? String else {
            throw GRPOConfigError(["dataset"], "The config file needs `dataset: PATH` (a .json, .jsonl or .csv file).")
        }
        self.dataset = dataset
        if let value = fields["model"] { model = try Self.string(value, "model") }
        if let value = fields["datasetField"] { datasetField = try Self.string(value, "dataset_field") }
        if let value = fields["datasetFilter"] {
            guard let filter = value as? [String: Any] else {
                throw GRPOConfigError(["dataset_filter"], "`dataset_filter` must map columns to values, e.g. {split: train}.")
            }
            datasetFilter = filter.mapValues { "\($0)" }
        }
        if let value = fields["datasetLimit"] { datasetLimit = try Self.int(value, "dataset_limit") }
        if let value = fields["promptColumn"] { promptColumn = try Self.string(value, "prompt_column") }
        if let value = fields["systemPrompt"] { systemPrompt = try Self.string(value, "system_prompt") }
        if let value = fields["promptTemplate"] { promptTemplate = try Self.string(value, "prompt_template") }
        if let value = fields["chat"] {
            guard let flag = value as? Bool else { throw GRPOConfigError(["chat"], "`chat` must be true or false.") }
            chat = flag
        }
        if let value = fields["answerColumn"] { answerColumn = try Self.string(value, "answer_column") }
        if let value = fields["rewards"] { rewards = try Self.rewardSpecs(value) }
        if let value = fields["lora"] { lora = try Self.loraConfig(value) }

        var grpoFields = fields.filter { GRPOConfig.fieldNames.contains($0.key) }
        let weights = rewards.map(\.weight)
        if grpoFields["rewardWeights"] == nil, weights.contains(where: { $0 != nil }) {
            grpoFields["rewardWeights"] = weights.map { $0 ?? 1 }
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: grpoFields)
            grpo = try JSONDecoder().decode(GRPOConfig.self, from: data)
        } catch let error as DecodingError {
            throw GRPOConfigError(["config"], "A GRPO setting has the wrong type: \(Self.describe(error)).")
        }
        guard !rewards.isEmpty else {
            throw GRPOConfigError(["rewards"], "The config file names no rewards; add e.g. `rewards: [strictFormat, exactAnswer]` "
                + "(built-ins: \(Self.rewardNames.joined(separator: ", "))).")
        }
        try grpo.validate(rewardCount: rewards.count)
    }

    // MARK: - Building the run

    /// The dataset with a "prompt" column (and "answer" when `answerColumn` is set).
    public func loadDataset(relativeTo base: URL? = nil) throws -> Dataset {
        let path = base.map { URL(fileURLWithPath: dataset, relativeTo: $0).path } ?? dataset
        var data: Dataset
        if let datasetField {
            data = try Dataset.json(path, field: datasetField)
        } else {
            data = try Dataset.load(path)
        }
        for (column, value) in datasetFilter.sorted(by: { $0.key < $1.key }) {
            _ = try data.column(column)
            data = data.filter { $0[column].stringValue == value }
            guard data.count > 0 else {
                throw GRPOConfigError(["dataset_filter"], "No row of \(dataset) has \(column) = \(value); check `dataset_filter`.")
            }
        }
        if let datasetLimit, datasetLimit < data.count { data = Dataset(rows: Array(data.rows.prefix(datasetLimit)), columns: data.columns) }
        if let answerColumn {
            _ = try data.column(answerColumn)
            data = data.map { row in
                var row = row
                row["answer"] = row[answerColumn]
                return row
            }
        }
        if let promptTemplate {
            return try data.textPrompt(template: promptTemplate, into: "prompt")
        }
        let isMessages = data.rows.first.map { $0[promptColumn].arrayValue != nil } ?? false
        if isMessages {
            guard promptColumn != "prompt" else { return data }
            return data.map { row in
                var row = row
                row["prompt"] = row[promptColumn]
                return row
            }
        }
        if chat { return try data.chatPrompt(system: systemPrompt ?? "", userColumn: promptColumn, into: "prompt") }
        if promptColumn == "prompt" { return data }
        return try data.textPrompt(template: "{\(promptColumn)}", into: "prompt")
    }

    /// The reward functions, in the order of `rewards`.
    public func makeRewards(model languageModel: LanguageModel) throws -> [any RewardFunction] {
        try rewards.map { spec in
            let o = spec.options
            func number(_ key: String, _ fallback: Double) throws -> Double {
                guard let text = o[key] else { return fallback }
                guard let value = Double(text) else {
                    throw GRPOConfigError(["rewards"], "Reward \(spec.name): option \(key) must be a number, not \"\(text)\".")
                }
                return value
            }
            let column = o["column"] ?? "answer"
            switch spec.name {
            case "tagPresence": return Reward.tagPresence()
            case "strictFormat": return Reward.strictFormat(score: try number("score", 0.5))
            case "softFormat": return Reward.softFormat(score: try number("score", 0.5))
            case "xmlCount": return Reward.xmlCount()
            case "exactAnswer":
                return Reward.exactAnswer(column: column, caseSensitive: o["caseSensitive"] == "true", score: try number("score", 1))
            case "intAnswer": return Reward.intAnswer(score: try number("score", 0.5))
            case "numericTolerance":
                return Reward.numericTolerance(atol: try number("atol", 1e-6), rtol: try number("rtol", 0), column: column,
                                               score: try number("score", 1))
            case "semanticCorrectness": return Reward.semanticCorrectness(column: column)
            case "lengthPenalty", "overlongPenalty":
                let soft = Int(try number("softCacheLength", Double(max(1, grpo.maxCompletionLength / 4))))
                let tokenizer = languageModel.tokenizer
                return Reward.overlongPenalty(maxCompletionLength: grpo.maxCompletionLength, softCacheLength: soft,
                                              tokenCount: { tokenizer.encode($0).count },
                                              name: spec.name == "lengthPenalty" ? "length_penalty" : "overlong_penalty")
            case "perplexity": return Reward.perplexity(model: languageModel)
            case "combined": return Reward.combined(model: languageModel, column: column)
            default:
                throw GRPOConfigError(["rewards"], "Unknown reward \"\(spec.name)\"\(Self.suggestion(spec.name, among: Self.rewardNames)). "
                    + "Built-ins: \(Self.rewardNames.joined(separator: ", ")).")
            }
        }
    }

    // MARK: - Reading fields

    /// `snake_case` → `camelCase` (already camelCase names pass through).
    public static func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return name }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Keys in camelCase; an unknown key is an error naming the closest known one.
    static func normalized(_ raw: [String: Any], known: [String], context: String) throws -> [String: Any] {
        var result: [String: Any] = [:]
        for (key, value) in raw {
            var name = camelCase(key)
            if !known.contains(name), let match = known.first(where: { $0.lowercased() == name.lowercased() }) { name = match }
            guard known.contains(name) else {
                throw GRPOConfigError([key], "Unknown field \"\(key)\" in \(context)\(suggestion(name, among: known)).")
            }
            if value is NSNull { continue }
            result[name] = value
        }
        return result
    }

    /// `; did you mean "x" (or x_snake)?` for the nearest known name, or "".
    static func suggestion(_ name: String, among names: [String]) -> String {
        NameSuggestion.closest(to: name, among: names).map { "; did you mean \"\($0)\" (or \(snakeCase($0)))?" } ?? ""
    }

    static func snakeCase(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
        return out
    }

    private static func string(_ value: Any, _ name: String) throws -> String {
        guard let text = value as? String else { throw GRPOConfigError([name], "`\(name)` must be text.") }
        return text
    }

    private static func int(_ value: Any, _ name: String) throws -> Int {
        if let number = value as? Int { return number }
        if let number = value as? Double, number == number.rounded() { return Int(number) }
        throw GRPOConfigError([name], "`\(name)` must be a whole number.")
    }

    private static func rewardSpecs(_ value: Any) throws -> [RewardSpec] {
        guard let list = value as? [Any] else {
            throw GRPOConfigError(["rewards"], "`rewards` must be a list, e.g. [strictFormat, {name: exactAnswer, weight: 2}].")
        }
        return try list.map { item in
            let spec: RewardSpec
            if let name = item as? String {
                spec = RewardSpec(name: camelCase(name), weight: nil, options: [:])
            } else if let object = item as? [String: Any] {
                let fields = try normalized(object, known: ["name", "weight", "column", "score", "atol", "rtol",
                                                            "softCacheLength", "caseSensitive"], context: "a reward")
                guard let name = fields["name"] as? String else {
                    throw GRPOConfigError(["rewards"], "A reward entry has no `name` (built-ins: \(rewardNames.joined(separator: ", "))).")
                }
                var weight: Double?
                if let w = fields["weight"] {
                    guard let number = (w as? Double) ?? (w as? Int).map(Double.init) else {
                        throw GRPOConfigError(["rewards"], "Reward \(name): `weight` must be a number.")
                    }
                    weight = number
                }
                var options: [String: String] = [:]
                for (key, option) in fields where key != "name" && key != "weight" { options[key] = "\(option)" }
                spec = RewardSpec(name: camelCase(name), weight: weight, options: options)
            } else {
                throw GRPOConfigError(["rewards"], "Each reward is a name or {name: …, weight: …}; got \(item).")
            }
            guard rewardNames.contains(spec.name) else {
                throw GRPOConfigError(["rewards"], "Unknown reward \"\(spec.name)\"\(suggestion(spec.name, among: rewardNames)). "
                    + "Built-ins: \(rewardNames.joined(separator: ", ")).")
            }
            return spec
        }
    }

    private static func loraConfig(_ value: Any) throws -> LoRAConfig {
        guard let object = value as? [String: Any] else {
            throw GRPOConfigError(["lora"], "`lora` must be a mapping, e.g. {r: 16, lora_alpha: 16}.")
        }
        let fields = try normalized(object, known: loraFields, context: "lora")
        var config = LoRAConfig()
        if let value = fields["r"] ?? fields["rank"] { config.rank = try int(value, "lora.r") }
        if let value = fields["loraAlpha"] ?? fields["alpha"] {
            guard let number = (value as? Double) ?? (value as? Int).map(Double.init) else {
                throw GRPOConfigError(["lora.lora_alpha"], "`lora_alpha` must be a number.")
            }
            config.alpha = number
        }
        if let value = fields["loraDropout"] ?? fields["dropout"] {
            guard let number = (value as? Double) ?? (value as? Int).map(Double.init) else {
                throw GRPOConfigError(["lora.lora_dropout"], "`lora_dropout` must be a number.")
            }
            config.dropout = number
        }
        if let value = fields["targetModules"] {
            guard let names = value as? [String] else {
                throw GRPOConfigError(["lora.target_modules"], "`target_modules` must be a list of names like q_proj.")
            }
            config.targetModules = names
        }
        if let value = fields["useRslora"] ?? fields["useRSLoRA"] {
            guard let flag = value as? Bool else { throw GRPOConfigError(["lora.use_rslora"], "`use_rslora` must be true or false.") }
            config.useRSLoRA = flag
        }
        if let value = fields["seed"] { config.seed = UInt64(try int(value, "lora.seed")) }
        return config
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "\(snakeCase(path)) should be \(type)"
        case .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "\(snakeCase(path)): \(context.debugDescription)"
        case .keyNotFound(let key, _):
            return "missing \(key.stringValue)"
        @unknown default:
            return "\(error)"
        }
    }
}
