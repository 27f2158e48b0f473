import GRPO

/// The arguments that describe what a reward scores, shared by `score`, `check` and `report`, in
/// this order: `completions:`, then optionally `prompt:` (one prompt for the whole group) or
/// `prompts:` (one per completion), `row:` (the dataset row every completion answers),
/// `answers:` (the "answer" column) and `columns:` (`[String: [Any]]`, one entry per completion).
enum RewardBatchArguments {
    static let completions = NativeParameter.labeled("completions", "[String]")
    static let context: [NativeParameter] = [
        .labeled("prompt", "String?", default: .null),
        .labeled("prompts", "[String]", default: .array([])),
        .labeled("row", "[String: Any]?", default: .null),
        .labeled("answers", "[String]?", default: .null),
        .labeled("columns", "[String: [Any]]", default: .dictionary(DictionaryValue())),
    ]

    static func batch(_ call: NativeCall) throws -> RewardBatch {
        let completions = try DatasetValueBridge.strings(call["completions"], name: "completions")
        let count = completions.count
        var prompts = try DatasetValueBridge.strings(call["prompts"], name: "prompts")
        if let prompt = call.optional("prompt") {
            guard prompts.isEmpty else { throw call.error("pass prompt: (one for all) or prompts: (one each), not both") }
            prompts = Array(repeating: try Convert.string(prompt, or: call.error("prompt must be a String")), count: count)
        }
        var columns: [String: [DatasetValue]] = [:]
        if let row = call.optional("row") {
            for (name, cell) in try DatasetValueBridge.row(row, at: "row").cells {
                columns[name] = Array(repeating: cell, count: count)
            }
        }
        if let answers = call.optional("answers") {
            columns["answer"] = try DatasetValueBridge.strings(answers, name: "answers").map { .string($0) }
        }
        for (key, value) in try call.dictionary("columns").pairs {
            guard case .string(let name) = key, case .array(let cells) = value else {
                throw call.error("columns must be [String: [Any]] (a list of cells per column name)", kind: .typeMismatch)
            }
            columns[name] = try cells.enumerated().map { try DatasetValueBridge.cell($1, at: "columns[\"\(name)\"][\($0)]") }
        }
        return try RewardBatch(prompts: prompts, completions: completions, columns: columns)
    }
}
