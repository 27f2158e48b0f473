import Foundation
import LLM
import Tensor

/// A judge run by our own engine on any loaded model, scoring as G-Eval does: the judge prompt is
/// rendered with the judge's chat template, then for each metric the reply so far is extended with
/// the metric's label ("Medical accuracy:") and the judge's next-token probabilities over the
/// digits 1…5 give the expected score Σ k·p(k) / Σ p(k). The most likely digit is written before
/// the next label, so later scores see earlier ones as the judge would have written them. Even a
/// small model gives every case five scores in [1, 5]. The explanation is generated after the
/// scores (greedy, short).
///
/// One KV cache per case: the prompt is read once; each metric then costs a few tokens.
public final class LocalJudge: Judge {
    public let model: LanguageModel
    public var prompt: JudgePrompt
    /// The most tokens the explanation may have (0 skips it).
    public var explanationTokens: Int

    public init(model: LanguageModel, prompt: JudgePrompt = .standard, explanationTokens: Int = 80) {
        self.model = model
        self.prompt = prompt
        self.explanationTokens = explanationTokens
    }

    public var name: String { "local \(model.location.reference)" }

    public func judge(_ requests: [JudgeRequest], progress: @escaping @Sendable (Int) -> Void,
                      isCancelled: @escaping @Sendable () -> Bool) throws -> [JudgeVerdict] {
        try requests.enumerated().map { index, request in
            if isCancelled() { throw JudgeError.cancelled }
            let verdict = try self.verdict(for: request)
            progress(index)
            return verdict
        }
    }

    /// The five expected scores, the distributions' argmax digits written in between, and the
    /// explanation. The judge is the base model: an adapter attached to it is switched off meanwhile.
    public func verdict(for request: JudgeRequest) throws -> JudgeVerdict {
        try model.network.withAdapterDisabled { try baseVerdict(for: request) }
    }

    private func baseVerdict(for request: JudgeRequest) throws -> JudgeVerdict {
        let digits = try digitTokens()
        let text = try model.chatPrompt([.system(prompt.system),
                                         .user(prompt.render(question: request.question, reference: request.reference,
                                                             answer: request.answer))])
        let promptIDs = model.tokenizer.encode(text)
        let context = model.config.maxPositions
        let reserve = 24 * JudgeMetric.all.count + 32 + explanationTokens
        guard promptIDs.count + reserve <= context else {
            throw JudgeError.promptTooLong(tokens: promptIDs.count + reserve, context: context)
        }
        let reader = CachedReader(network: model.network, capacity: promptIDs.count + reserve)
        var pending = promptIDs
        var scores: [String: Double] = [:]
        var written: [Int] = []
        for (index, metric) in JudgeMetric.all.enumerated() {
            pending += continuation(of: index == 0 ? "" : "5", with: (index == 0 ? "" : "\n") + metric.label + ":")
            pending += digits.lead
            let logits = try reader.read(pending)
            pending = []
            let candidates = digits.ids.map { logits[$0] }
            let top = candidates.max() ?? 0
            let weights = candidates.map { exp(Double($0 - top)) }
            let total = weights.reduce(0, +)
            scores[metric.key] = zip(1...5, weights).reduce(0.0) { $0 + Double($1.0) * $1.1 } / total
            let best = candidates.indices.max { candidates[$0] < candidates[$1] } ?? 0
            written.append(best + 1)
            pending.append(digits.ids[best])
        }
        var explanation = ""
        if explanationTokens > 0 {
            let overall = Double(written.reduce(0, +)) / Double(written.count)
            pending += continuation(of: "5", with: String(format: "\nOverall score: %.1f\nExplanation:", overall))
            explanation = try generate(after: pending, reader: reader)
        }
        return JudgeVerdict(scores: scores, explanation: explanation)
    }

    /// Greedy tokens after `pending` until an end-of-turn id, a blank line, a third sentence or the
    /// token limit. The
    /// first token is the likeliest one that holds a letter: small judges otherwise tend to answer
    /// "Explanation:" with another digit.
    private func generate(after pending: [Int], reader: CachedReader) throws -> String {
        var next = pending
        var ids: [Int] = []
        for step in 0..<explanationTokens {
            let logits = try reader.read(next)
            var token = logits.indices.max { logits[$0] < logits[$1] } ?? 0
            if step == 0 {
                let likeliest = logits.indices.sorted { logits[$0] > logits[$1] }.prefix(50)
                token = likeliest.first { model.tokenizer.decode([$0], skipSpecialTokens: true).contains(where: \.isLetter) } ?? token
            }
            if model.eosTokenIDs.contains(token) { break }
            ids.append(token)
            let text = model.tokenizer.decode(ids, skipSpecialTokens: true)
            // The prompt asks for 2–3 sentences.
            if text.contains("\n\n") || text.components(separatedBy: ". ").count > 3 { break }
            next = [token]
        }
        var text = model.tokenizer.decode(ids, skipSpecialTokens: true)
        let sentences = text.components(separatedBy: ". ")
        if sentences.count > 3 { text = sentences.prefix(3).joined(separator: ". ") + "." }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The tokens `piece` adds after `anchor` (so tokenizers that mark word starts or merge
    /// spaces tokenize it as they would in running text).
    private func continuation(of anchor: String, with piece: String) -> [Int] {
        let tokenizer = model.tokenizer
        let base = tokenizer.encode(anchor)
        let full = tokenizer.encode(anchor + piece)
        guard !anchor.isEmpty, full.starts(with: base) else { return tokenizer.encode(piece) }
        return Array(full.dropFirst(base.count))
    }

    /// The ids of the digits 1…5 as written after "Label:", and any token they share before
    /// them (a separate space token in some tokenizers), which is fed first.
    private func digitTokens() throws -> (lead: [Int], ids: [Int]) {
        let forms = (1...5).map { continuation(of: "Score:", with: " \($0)") }
        if forms.allSatisfy({ $0.count == 1 }), Set(forms.map { $0[0] }).count == 5 {
            return ([], forms.map { $0[0] })
        }
        if forms.allSatisfy({ $0.count == 2 }), Set(forms.map { $0[0] }).count == 1, Set(forms.map { $0[1] }).count == 5 {
            return ([forms[0][0]], forms.map { $0[1] })
        }
        throw JudgeError.invalidSetting("The judge model's tokenizer does not write \" 1\"…\" 5\" as one token each "
                                        + "(after a shared space); use another judge model.")
    }
}

/// Feeds tokens through a network with one KV cache and returns the last position's logits.
private struct CachedReader {
    let network: CausalLanguageModel
    let cache: KVCache

    init(network: CausalLanguageModel, capacity: Int) {
        self.network = network
        cache = network.makeCache(capacity: capacity)
    }

    func read(_ tokens: [Int]) throws -> [Float] {
        try Autograd.noGrad {
            let hidden = try network.hiddenStates(SequenceBatch(tokens: [tokens], caches: [cache]))
            return network.logits(hidden.gatherRows([tokens.count - 1])).scalars
        }
    }
}
