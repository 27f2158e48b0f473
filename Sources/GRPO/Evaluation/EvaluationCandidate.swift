import LLM

/// A model whose answers are evaluated: a name, the loaded model, and what to do to it before
/// it answers and after (attach and detach a LoRA adapter), so a base model with an adapter is
/// just another candidate.
public struct EvaluationCandidate {
    public var name: String
    public var model: LanguageModel
    /// Runs before this candidate generates (for example: attach its adapter).
    public var prepare: (LanguageModel) throws -> Void
    /// Runs after it has generated, even when generation failed (for example: detach the adapter).
    public var finish: (LanguageModel) -> Void

    public init(name: String, model: LanguageModel, prepare: @escaping (LanguageModel) throws -> Void = { _ in },
                finish: @escaping (LanguageModel) -> Void = { _ in }) {
        self.name = name
        self.model = model
        self.prepare = prepare
        self.finish = finish
    }

    /// Runs `body` between `prepare` and `finish`.
    func whilePrepared<T>(_ body: () throws -> T) throws -> T {
        try prepare(model)
        defer { finish(model) }
        return try body()
    }
}
