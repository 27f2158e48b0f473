import GRPO
import LLM

/// `Reward`: the built-in rewards, rewards written in cells, and scoring, checking and reporting.
enum RewardBindings {
    static func register(in registry: NativeRegistry) {
        registry.type("Reward", doc: "A reward: scores completions, one Double? per completion (nil = not applicable).") { type in
            registerCellRewards(type)
            registerFormatRewards(type)
            registerAnswerRewards(type)
            registerModelRewards(type)
            registerScoring(type)
        }
        registry.type("RewardCheck", doc: "Scores against expectations, and property checks.") { type in
            type.property("passed", "Bool", of: RewardCheckObject.self, doc: "Whether every row and property check passed.") {
                .bool($0.check.passed)
            }
        }
        registry.type("RewardReport", doc: "Every reward's score for every completion.") { type in
            type.property("scores", "[String: [Double?]]", of: RewardReportObject.self, doc: "The scores by reward name.") { object in
                let scores = object.report.scores
                return .dictionary(DictionaryValue(zip(scores.names, scores.scores).map { (.string($0), DatasetValueBridge.scores($1)) }))
            }
        }
    }

    private static func wrap(_ reward: any RewardFunction) -> Value { .object(RewardObject(reward)) }

    private static func reward(_ value: Value, _ what: String, _ call: NativeCall) throws -> any RewardFunction {
        guard case .object(let object as RewardObject) = value.unwrapped ?? .void else {
            throw call.error("\(what) must be a Reward (Reward.tagPresence(), Reward(myFunction), …), got \(value.typeName)",
                             kind: .typeMismatch)
        }
        return object.reward
    }

    private static func name(_ call: NativeCall) throws -> String? {
        try call.optional("name").map { try Convert.string($0, or: call.error("name must be a String")) }
    }

    private static func closedRange(_ value: Value, _ what: String, _ call: NativeCall) throws -> ClosedRange<Double>? {
        guard let inner = value.unwrapped else { return nil }
        guard case .range(let range) = inner, range.isClosed,
              let low = try? Convert.double(range.lower, or: call.error("")),
              let high = try? Convert.double(range.upper, or: call.error("")), low <= high else {
            throw call.error("\(what) must be a closed range such as -1...1, got \(inner.typeName)", kind: .typeMismatch)
        }
        return low...high
    }

    // MARK: Rewards written in cells

    private static func registerCellRewards(_ type: NativeType) {
        type.initializer([.labeled("name", "String?", default: .null), .labeled("range", "ClosedRange<Double>?", default: .null),
                          .positional("score", "([String], …) -> [Double?]")],
                         doc: "A reward from a function whose parameters are named after what it needs (prompts, "
                            + "completions, completionIDs, columns, or a dataset column such as answer); it returns one "
                            + "Double? per completion.") { call in
            wrap(try CellReward(function: try call.function("score"), name: try name(call),
                                range: try closedRange(call["range"], "range", call), context: call.context))
        }
    }

    // MARK: Built-ins

    private static func registerFormatRewards(_ type: NativeType) {
        type.staticMethod("tagPresence", returns: "Reward",
                          doc: "The fraction of <reasoning>, </reasoning>, <answer>, </answer> present (0…1).") { _ in
            wrap(Reward.tagPresence())
        }
        type.staticMethod("strictFormat", [.labeled("score", "Double", default: .double(0.5))], returns: "Reward",
                          doc: "score when the whole completion is \"<reasoning>\\n…\\n</reasoning>\\n<answer>\\n…\\n</answer>\\n\".") { call in
            wrap(Reward.strictFormat(score: try call.double("score")))
        }
        type.staticMethod("softFormat", [.labeled("score", "Double", default: .double(0.5))], returns: "Reward",
                          doc: "score when the completion starts <reasoning>…</reasoning> <answer>…</answer>.") { call in
            wrap(Reward.softFormat(score: try call.double("score")))
        }
        type.staticMethod("xmlCount", returns: "Reward",
                          doc: "0.125 per well-placed tag, minus a little for text after </answer> (the GSM8K guide's count).") { _ in
            wrap(Reward.xmlCount())
        }
        for name in ["overlongPenalty", "lengthPenalty"] {
            type.staticMethod(name, [.labeled("maxCompletionLength", "Int"), .labeled("softCacheLength", "Int"),
                                     .labeled("model", "Model?", default: .null)], returns: "Reward",
                              doc: "DAPO's overlong soft punishment: 0 up to maxCompletionLength − softCacheLength, falling "
                                + "linearly to −1 at maxCompletionLength. Lengths are completion tokens (the trainer's ids, "
                                + "else model's tokenizer), or characters without a model.") { call in
                let tokenizer = try call.optional("model").map { _ in try call.object("model", as: ModelObject.self).model.tokenizer }
                let count: (String) -> Int = tokenizer.map { tokenizer in { tokenizer.encode($0).count } } ?? { $0.count }
                return wrap(Reward.overlongPenalty(maxCompletionLength: try call.int("maxCompletionLength"),
                                                   softCacheLength: try call.int("softCacheLength"), tokenCount: count,
                                                   name: name == "lengthPenalty" ? "length_penalty" : "overlong_penalty"))
            }
        }
    }

    private static func registerAnswerRewards(_ type: NativeType) {
        type.staticMethod("exactAnswer", [.labeled("column", "String", default: .string("answer")),
                                          .labeled("caseSensitive", "Bool", default: .bool(false)),
                                          .labeled("score", "Double", default: .double(1))], returns: "Reward",
                          doc: "score when the extracted answer equals the reference (white space normalised).") { call in
            wrap(Reward.exactAnswer(column: try call.string("column"), caseSensitive: try call.bool("caseSensitive"),
                                    score: try call.double("score")))
        }
        type.staticMethod("intAnswer", [.labeled("score", "Double", default: .double(0.5))], returns: "Reward",
                          doc: "score when the extracted answer is an integer.") { call in
            wrap(Reward.intAnswer(score: try call.double("score")))
        }
        type.staticMethod("numericTolerance", [.labeled("atol", "Double", default: .double(1e-6)),
                                               .labeled("rtol", "Double", default: .double(0)),
                                               .labeled("column", "String", default: .string("answer"))], returns: "Reward",
                          doc: "1 when the answer's number is within atol + rtol·|reference| of the reference (or within "
                            + "the row's tolerance column, as MedCalc rows have).") { call in
            wrap(Reward.numericTolerance(atol: try call.double("atol"), rtol: try call.double("rtol"),
                                         column: try call.string("column")))
        }
    }

    private static func registerModelRewards(_ type: NativeType) {
        type.staticMethod("semanticCorrectness", [.labeled("column", "String", default: .string("answer"))], returns: "Reward",
                          doc: "MiniLM cosine similarity between the extracted answer and the reference (−1…1).") { call in
            wrap(Reward.semanticCorrectness(column: try call.string("column")))
        }
        type.staticMethod("perplexity", [.positional("model", "Model")], returns: "Reward",
                          doc: "1 / (ppl / (mean ppl + 1e-9)) of each completion given its prompt, under model.") { call in
            wrap(Reward.perplexity(model: try call.object("model", as: ModelObject.self).model))
        }
        type.staticMethod("combined", [.positional("parts", "[(Reward, Double)]"),
                                       .labeled("clamp", "ClosedRange<Double>?", default: .null)], returns: "Reward",
                          doc: "Σ weight·score over the parts that scored a row, clamped; −1 for empty or unscorable completions.") { call in
            let parts = try call.array("parts").enumerated().map { index, part -> (any RewardFunction, Double) in
                guard case .tuple(let pair) = part, pair.values.count == 2 else {
                    throw call.error("parts[\(index)] must be a (reward, weight) pair, got \(part.typeName)", kind: .typeMismatch)
                }
                return (try reward(pair.values[0], "parts[\(index)].0", call),
                        try Convert.double(pair.values[1], or: call.error("parts[\(index)].1 must be a weight (Double)")))
            }
            return wrap(Reward.combined(parts, clamp: try closedRange(call["clamp"], "clamp", call)))
        }
        type.staticMethod("combined", [.labeled("model", "Model"), .labeled("column", "String", default: .string("answer"))],
                          returns: "Reward",
                          doc: "The default mix: 0.5 semantic correctness + 0.4 perplexity + 0.1 tag presence, clamped to -1...1.") { call in
            wrap(Reward.combined(model: try call.object("model", as: ModelObject.self).model, column: try call.string("column")))
        }
    }

    // MARK: Scoring

    private static func registerScoring(_ type: NativeType) {
        let completions = RewardBatchArguments.completions, context = RewardBatchArguments.context
        type.property("name", "String", of: RewardObject.self, doc: "The name shown in reports.") { .string($0.reward.name) }
        type.method("score", [completions] + context, returns: "[Double?]",
                    doc: "One score per completion; errors in the reward stop the cell (use Reward.report to isolate them).") { call in
            let reward = try reward(call.receiver, "the receiver", call)
            let batch = try RewardBatchArguments.batch(call)
            let scores = try reward.score(batch)
            guard scores.count == batch.count else {
                throw RewardError.wrongCount(reward: reward.name, expected: batch.count, got: scores.count)
            }
            return DatasetValueBridge.scores(scores)
        }
        type.method("check", [completions, .labeled("expected", "[Double?]?", default: .null)] + context
                        + [.labeled("tolerance", "Double", default: .double(1e-6))], returns: "RewardCheck",
                    doc: "Scores completions twice and shows them against expected scores, with property checks "
                        + "(one score per completion, range, determinism).") { call in
            let reward = try reward(call.receiver, "the receiver", call)
            let batch = try RewardBatchArguments.batch(call)
            let expected = try call.optional("expected").map { try DatasetValueBridge.scores($0, from: "expected") }
            let check = reward.check(completions: batch.completions, expected: expected, prompts: batch.prompts,
                                     columns: batch.columns, tolerance: try call.double("tolerance"))
            try call.context.checkInterrupt()
            return .object(RewardCheckObject(check))
        }
        type.staticMethod("report", [.positional("rewards", "[Reward]"), completions] + context
                            + [.labeled("timeBudget", "Double?", default: .null)], returns: "RewardReport",
                          doc: "Every reward's score for every completion, as a table. A reward that throws, returns the "
                            + "wrong count, NaN, or runs over timeBudget seconds scores nil and is reported.") { call in
            let rewards = try call.array("rewards").enumerated().map { try reward($1, "rewards[\($0)]", call) }
            let budget = try call.optional("timeBudget").map { try Convert.double($0, or: call.error("timeBudget must be seconds")) }
            let report = RewardReport(rewards: rewards, batch: try RewardBatchArguments.batch(call), timeBudget: budget)
            try call.context.checkInterrupt()
            return .object(RewardReportObject(report))
        }
    }
}
