import Tensor

/// One micro-batch of completions, PACKED: sequence after sequence, `lengths[i]` token slots each
/// (slots may be masked out by `mask`, e.g. right padding or maskTruncatedCompletions).
public struct PolicyLossBatch {
    /// log p of each slot's token under the policy being trained, [totalSlots]; differentiable
    /// (requiresGrad in training).
    public var logProbs: Tensor
    /// Log-probs under the policy that generated the batch; nil = on-policy (old = logProbs.detach():
    /// ratio 1, gradient A·∇logp).
    public var oldLogProbs: [Float]?
    /// Needed when beta ≠ 0.
    public var referenceLogProbs: [Float]?
    /// The sampler's log-probs, for offPolicyMaskThreshold (TRL: falls back to the old log-probs).
    public var samplerLogProbs: [Float]?
    /// Per-slot entropies: the `entropy` metric, and the top-entropy token mask.
    public var entropies: [Float]?
    /// One per sequence.
    public var advantages: [Float]
    /// Slots of each sequence, in order; they add up to `logProbs.count`.
    public var lengths: [Int]
    /// [totalSlots], 1 (in the loss) or 0.
    public var mask: [Float]
    /// TRL's `num_items_in_batch`: active tokens of the whole generation batch (every micro-batch of
    /// it, every process). dapo, cispo and vespo divide by itemsInBatch / processCount ·
    /// gradientAccumulationSteps / stepsPerGeneration.
    public var itemsInBatch: Double
    /// Every loss type but dapo/cispo/vespo divides by this (pass 1 for evaluation).
    public var gradientAccumulationSteps: Int = 1
    /// Micro-batches one generation batch is split into (pass 1 for evaluation).
    public var stepsPerGeneration: Int = 1
    /// Processes sharing the generation batch (TRL's `num_processes`).
    public var processCount: Int = 1

    public init(logProbs: Tensor, oldLogProbs: [Float]? = nil, referenceLogProbs: [Float]? = nil,
                samplerLogProbs: [Float]? = nil, entropies: [Float]? = nil, advantages: [Float],
                lengths: [Int], mask: [Float], itemsInBatch: Double, gradientAccumulationSteps: Int = 1,
                stepsPerGeneration: Int = 1, processCount: Int = 1) {
        self.logProbs = logProbs
        self.oldLogProbs = oldLogProbs
        self.referenceLogProbs = referenceLogProbs
        self.samplerLogProbs = samplerLogProbs
        self.entropies = entropies
        self.advantages = advantages
        self.lengths = lengths
        self.mask = mask
        self.itemsInBatch = itemsInBatch
        self.gradientAccumulationSteps = gradientAccumulationSteps
        self.stepsPerGeneration = stepsPerGeneration
        self.processCount = processCount
    }

    /// The first slot of each sequence, and one past the last.
    var sequenceRanges: [Range<Int>] {
        var start = 0
        return lengths.map { length in
            defer { start += length }
            return start ..< start + length
        }
    }

    /// Throws the first inconsistency between the fields (and with `settings`).
    func validate(for settings: GRPOLossSettings) throws {
        try settings.validate()
        let slots = logProbs.count
        guard !lengths.isEmpty else { throw GRPOLossError.emptyBatch }
        if let negative = lengths.first(where: { $0 < 0 }) {
            throw GRPOLossError.invalidSetting(name: "lengths", value: "\(negative)", expected: "counts ≥ 0")
        }
        let sum = lengths.reduce(0, +)
        guard sum == slots else { throw GRPOLossError.lengthsDoNotMatchSlots(sum: sum, slots: slots) }
        guard advantages.count == lengths.count else {
            throw GRPOLossError.countMismatch(field: "advantages", count: advantages.count, expected: lengths.count)
        }
        if let bad = advantages.firstIndex(where: { !$0.isFinite }) {
            throw GRPOLossError.nonFiniteAdvantage(sequence: bad, value: advantages[bad])
        }
        let perSlot: [(String, [Float]?)] = [("mask", mask), ("oldLogProbs", oldLogProbs),
                                             ("referenceLogProbs", referenceLogProbs),
                                             ("samplerLogProbs", samplerLogProbs), ("entropies", entropies)]
        for case let (name, values?) in perSlot where values.count != slots {
            throw GRPOLossError.countMismatch(field: name, count: values.count, expected: slots)
        }
        if let bad = mask.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw GRPOLossError.invalidMask(slot: bad, value: mask[bad])
        }
        if settings.beta != 0 && referenceLogProbs == nil { throw GRPOLossError.missingReferenceLogProbs }
        if settings.topEntropyQuantile < 1 && entropies == nil { throw GRPOLossError.missingEntropies }
        guard itemsInBatch.isFinite && itemsInBatch >= 0 else {
            throw GRPOLossError.invalidSetting(name: "itemsInBatch", value: "\(itemsInBatch)",
                                               expected: "the active-token count of the generation batch")
        }
        for (name, value) in [("gradientAccumulationSteps", gradientAccumulationSteps),
                              ("stepsPerGeneration", stepsPerGeneration), ("processCount", processCount)] where value < 1 {
            throw GRPOLossError.invalidSetting(name: name, value: "\(value)", expected: "at least 1")
        }
    }
}
