import GRPO

/// A reward written in a cell: a function whose parameters are named after what it needs, as in
/// TRL — `prompts`, `completions`, `completionIDs`, `columns` (every column as `[String: [Any]]`),
/// or any dataset column by its name (`answer`) — each a list with one entry per completion. It
/// returns `[Double?]`, one score per completion.
///
///     func correctness(completions: [String], answer: [String]) -> [Double?] { … }
///     let reward = Reward(correctness)
///     let short = Reward(name: "short") { completions in completions.map { $0.count < 200 ? 1.0 : 0.0 } }
struct CellReward: RewardFunction {
    let name: String
    let range: ClosedRange<Double>
    let function: Value
    let parameterNames: [String]
    let context: NativeContext

    init(function: Value, name: String?, range: ClosedRange<Double>?, context: NativeContext) throws {
        guard case .function(let value) = function else {
            throw RuntimeError("Reward(_:) needs a function or closure, got \(function.typeName)", kind: .typeMismatch)
        }
        guard let names = value.parameterNames, !names.isEmpty else {
            throw RuntimeError("a reward's parameters must be named after what it needs, e.g. "
                               + "{ completions, answer in … } or func r(prompts:completions:answer:); $0 cannot say which "
                               + "column it is", kind: .wrongArguments)
        }
        self.name = name ?? (value.isClosure || value.name.isEmpty ? "reward" : value.name)
        self.range = range ?? -Double.infinity...Double.infinity
        self.function = function
        self.parameterNames = names
        self.context = context
    }

    func score(_ batch: RewardBatch) throws -> [Double?] {
        let arguments = try parameterNames.map { try argument($0, batch) }
        do {
            return try DatasetValueBridge.scores(context.call(function, arguments), from: name)
        } catch let error as RuntimeError where error.kind == .interrupted || error.kind == .forcedInterrupt {
            // Fault isolation upstream turns errors into nil scores; the interrupt must still stop the cell.
            context.interrupt.redeliver()
            throw error
        }
    }

    /// Stops the function with a trap once `timeBudget` seconds have passed, so a reward that
    /// loops forever costs its budget, not the run.
    func score(_ batch: RewardBatch, timeBudget: Double?) throws -> [Double?] {
        guard let timeBudget else { return try score(batch) }
        return try context.interrupt.withTimeBudget(timeBudget) { try score(batch) }
    }

    private func argument(_ name: String, _ batch: RewardBatch) throws -> Value {
        switch name {
        case "prompts": return .array(batch.prompts.map { .string($0) })
        case "completions": return .array(batch.completions.map { .string($0) })
        case "completionIDs", "completionIds", "completion_ids":
            guard let ids = batch.completionIDs else {
                throw RewardError.missingColumn(name, available: ["prompts", "completions"] + batch.columnNames)
            }
            return .array(ids.map { .array($0.map { .int($0) }) })
        case "columns":
            return .dictionary(DictionaryValue(batch.columnNames.map { column in
                (.string(column), .array((batch.columns[column] ?? []).map(DatasetValueBridge.value)))
            }))
        default:
            return .array(try batch.values(name).map(DatasetValueBridge.value))
        }
    }
}
