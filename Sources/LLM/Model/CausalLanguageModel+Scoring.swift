import Tensor

extension CausalLanguageModel {
    /// Per position t: log p(ids[t+1] | ids[...t]) and the logsumexp of row t, from the same
    /// logits `logits` gives (final soft-capping included), without ever holding
    /// [T, vocabulary] logits. Token ids need no tokenizer. Products use the Float32 weights
    /// whatever the length (`QuantizedWeight.exactProducts`), so a short text scores as a long
    /// one would, and as a float32 reference run of the checkpoint does.
    public func score(_ ids: [Int]) throws -> (logProbs: [Float], logSumExp: [Float]) {
        guard ids.count >= 2 else { return ([], []) }
        return try QuantizedWeight.exactProducts { try Autograd.noGrad {
            let hidden = try hiddenStates(SequenceBatch(tokens: [Array(ids.dropLast())]))
            let result = tokenLogProbs(hidden: hidden, weight: head, targets: Array(ids.dropFirst()),
                                       options: TokenLogProbOptions(softCap: config.finalLogitSoftcap))
            return (result.logProbs.scalars, result.logSumExp.scalars)
        } }
    }
}
