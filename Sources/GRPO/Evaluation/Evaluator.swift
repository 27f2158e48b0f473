import Foundation
import LLM

/// Evaluates models on a dataset with a judge: every candidate answers the same questions with
/// the same sampling settings and seeds, the judge scores each answer, and metrics that need no
/// judge are computed beside. Works batch by batch and appends each judged record to `log`, so
/// an interrupted run resumes where it stopped.
///
/// ```swift
/// let judge = LocalJudge(model: base)
/// let result = try evaluate(models: [("base", base), ("tuned", tuned)], on: heldOut, judge: judge, count: 8)
/// print(result.text)
/// ```
public func evaluate(models: [(name: String, model: LanguageModel)], on dataset: Dataset, judge: any Judge,
                     count: Int? = nil, options: EvaluationOptions = EvaluationOptions(), log: EvaluationLog? = nil,
                     progress: ((EvaluationProgress) -> Void)? = nil,
                     isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> EvaluationResult {
    var options = options
    if let count { options.count = count }
    return try Evaluator(candidates: models.map { EvaluationCandidate(name: $0.name, model: $0.model) }, judge: judge,
                         options: options).run(on: dataset, log: log, progress: progress, isCancelled: isCancelled)
}

/// `evaluate` for candidates that prepare their model first (adapters).
public func evaluate(_ candidates: [EvaluationCandidate], on dataset: Dataset, judge: any Judge,
                     options: EvaluationOptions = EvaluationOptions(), log: EvaluationLog? = nil,
                     progress: ((EvaluationProgress) -> Void)? = nil,
                     isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> EvaluationResult {
    try Evaluator(candidates: candidates, judge: judge, options: options)
        .run(on: dataset, log: log, progress: progress, isCancelled: isCancelled)
}

/// The evaluation loop (see `evaluate`).
public struct Evaluator {
    public var candidates: [EvaluationCandidate]
    public var judge: any Judge
    public var options: EvaluationOptions

    public init(candidates: [EvaluationCandidate], judge: any Judge, options: EvaluationOptions) {
        self.candidates = candidates
        self.judge = judge
        self.options = options
    }

    /// One evaluated case: its row position, question, reference and optional short answer.
    struct Case {
        var index: Int
        var question: String
        var reference: String
        var shortAnswer: DatasetValue
    }

    public func run(on dataset: Dataset, log: EvaluationLog? = nil, progress: ((EvaluationProgress) -> Void)? = nil,
                    isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> EvaluationResult {
        let cases = try selectCases(dataset)
        let names = candidates.map(\.name)
        let existing = try resumedRecords(log, cases: cases)
        var records = existing
        var done = Set(existing.map { "\($0.caseIndex)|\($0.model)" })
        let tracker = ProgressTracker(total: 2 * (cases.count * candidates.count - done.count), resumed: existing.count,
                                      report: progress)
        let batchSize = max(1, options.batchSize)
        for start in stride(from: 0, to: cases.count, by: batchSize) {
            let batch = Array(cases[start..<min(cases.count, start + batchSize)])
            var answers: [(candidate: String, item: Case, answer: GenerationResult)] = []
            for candidate in candidates {
                let missing = batch.filter { !done.contains("\($0.index)|\(candidate.name)") }
                guard !missing.isEmpty else { continue }
                if isCancelled() { throw JudgeError.cancelled }
                let generated = try generate(candidate, batch: batch, batchStart: start, tracker: tracker, isCancelled: isCancelled)
                for (item, answer) in zip(batch, generated) where missing.contains(where: { $0.index == item.index }) {
                    answers.append((candidate.name, item, answer))
                }
                tracker.advance(by: missing.count, stage: .judging)
            }
            guard !answers.isEmpty else { continue }
            let metrics = try ReferenceMetrics(semanticSimilarity: options.semanticSimilarity).measure(
                answers: answers.map(\.answer.text), references: answers.map(\.item.reference),
                shortAnswers: options.answerColumn == nil ? nil : answers.map(\.item.shortAnswer))
            let requests = answers.map { JudgeRequest(question: $0.item.question, reference: $0.item.reference, answer: $0.answer.text) }
            let verdicts = try judge.judge(requests, progress: { _ in tracker.advance(by: 1, stage: .judging) },
                                           isCancelled: isCancelled)
            for (index, entry) in answers.enumerated() {
                let verdict = verdicts[index]
                let record = EvaluationRecord(
                    caseIndex: entry.item.index, model: entry.candidate, question: entry.item.question,
                    reference: entry.item.reference, answer: entry.answer.text, finishReason: entry.answer.finishReason.rawValue,
                    scores: verdict.scores.mapValues(Self.saved), explanation: verdict.explanation, judge: judge.name,
                    attempts: verdict.attempts, problem: verdict.problem,
                    referenceMetrics: metrics[index].mapValues { $0.map(Self.saved) })
                try log?.append(record)
                records.append(record)
                done.insert("\(record.caseIndex)|\(record.model)")
            }
        }
        tracker.finish()
        let order = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        records.sort { ($0.caseIndex, order[$0.model] ?? 0) < ($1.caseIndex, order[$1.model] ?? 0) }
        return EvaluationResult(records: records, models: names, bootstrapSamples: options.bootstrapSamples,
                                seed: options.statisticsSeed)
    }

    /// A value as records keep it: 6 decimals, which JSON lines write and read back exactly (so a
    /// resumed run's statistics equal a fresh run's).
    static func saved(_ value: Double) -> Double {
        value.isFinite ? (value * 1e6).rounded() / 1e6 : value
    }

    /// The first `count` rows as cases; checks the candidates and the columns.
    func selectCases(_ dataset: Dataset) throws -> [Case] {
        guard !candidates.isEmpty else { throw EvaluationError.noCandidates }
        var seen = Set<String>()
        for candidate in candidates where !seen.insert(candidate.name).inserted {
            throw EvaluationError.duplicateCandidate(candidate.name)
        }
        if let count = options.count, count < 1 { throw EvaluationError.invalidCount(count) }
        guard !dataset.isEmpty else { throw EvaluationError.emptyDataset("the dataset has no rows.") }
        let questions = try dataset.column(options.questionColumn)
        let references = try dataset.column(options.referenceColumn)
        let shortAnswers = try options.answerColumn.map { try dataset.column($0) }
        let count = min(options.count ?? dataset.count, dataset.count)
        return (0..<count).map { index in
            Case(index: index, question: questions[index].text, reference: references[index].text,
                 shortAnswer: shortAnswers?[index] ?? .null)
        }
    }

    /// The log's records for these candidates, after checking they belong to the same cases.
    private func resumedRecords(_ log: EvaluationLog?, cases: [Case]) throws -> [EvaluationRecord] {
        guard let log else { return [] }
        let names = Set(candidates.map(\.name))
        var kept: [String: EvaluationRecord] = [:]
        for record in log.existing where names.contains(record.model) {
            guard record.caseIndex < cases.count, cases[record.caseIndex].question == record.question else {
                throw EvaluationError.differentRun(path: log.url.path, caseIndex: record.caseIndex)
            }
            kept["\(record.caseIndex)|\(record.model)"] = record
        }
        return Array(kept.values)
    }

    /// The candidate's answers to every question of the batch (the whole batch, so that seeds and
    /// batch layout, and so the answers, do not depend on what a resumed run still needs).
    private func generate(_ candidate: EvaluationCandidate, batch: [Case], batchStart: Int, tracker: ProgressTracker,
                          isCancelled: @escaping () -> Bool) throws -> [GenerationResult] {
        try candidate.whilePrepared {
            let model = candidate.model
            let prompts = try batch.map { item in
                model.tokenizer.encode(try model.chatPrompt([.system(options.systemPrompt), .user(item.question)]))
            }
            var generation = options.generation
            generation.seed = options.generation.seed &+ UInt64(batchStart)
            tracker.startGenerating(candidate.name)
            let results = try model.generate(prompts: prompts, options: generation,
                                             onToken: { _, _, _ in tracker.token() }, isCancelled: isCancelled)
            if isCancelled() { throw JudgeError.cancelled }
            return results
        }
    }
}

/// Counts finished steps and reports them (thread-safe: judges report from worker threads).
final class ProgressTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var state: EvaluationProgress
    private let report: ((EvaluationProgress) -> Void)?

    init(total: Int, resumed: Int, report: ((EvaluationProgress) -> Void)?) {
        state = EvaluationProgress(stage: .generating, model: nil, completed: 0, total: total, tokens: 0, resumed: resumed)
        self.report = report
    }

    func startGenerating(_ model: String) {
        update { $0.stage = .generating; $0.model = model; $0.tokens = 0 }
    }

    /// Reports every 32nd token, so a display is not flooded.
    func token() {
        lock.lock()
        state.tokens += 1
        let snapshot = state.tokens % 32 == 0 ? state : nil
        lock.unlock()
        if let snapshot { report?(snapshot) }
    }

    func advance(by steps: Int, stage: EvaluationProgress.Stage) {
        update { $0.completed += steps; $0.stage = stage }
    }

    func finish() {
        update { $0.stage = .finished; $0.completed = $0.total }
    }

    private func update(_ change: (inout EvaluationProgress) -> Void) {
        lock.lock()
        change(&state)
        let snapshot = state
        lock.unlock()
        report?(snapshot)
    }
}
