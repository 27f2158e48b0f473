/// DAPO's dynamic sampling: keep only groups whose rewards differ (they carry a learning signal)
/// and fill the generation batch with groups from extra draws, up to a limit of draws.
struct DynamicSampling {
    let groupSize: Int
    let promptsWanted: Int

    /// What one round of selection did.
    struct Outcome {
        var kept: [CompletionSample] = []
        /// Groups whose rewards all agreed, kept aside to fill up when the draws run out.
        var spare: [CompletionSample] = []
        var droppedGroups = 0
        var extraDraws = 0
    }

    /// Adds one scored draw: groups with a non-zero reward spread go to `kept` (until the batch is
    /// full), the others to `spare`. `isStdZero` is per sample, as `GroupAdvantages` gives it.
    func add(_ samples: [CompletionSample], isStdZero: [Bool], to outcome: inout Outcome) {
        for start in stride(from: 0, to: samples.count, by: groupSize) {
            let group = Array(samples[start ..< start + groupSize])
            if isStdZero[start] || outcome.kept.count >= promptsWanted * groupSize {
                outcome.spare.append(contentsOf: group)
                if isStdZero[start] { outcome.droppedGroups += 1 }
            } else {
                outcome.kept.append(contentsOf: group)
            }
        }
    }

    /// True when the batch has enough informative groups.
    func isFull(_ outcome: Outcome) -> Bool { outcome.kept.count >= promptsWanted * groupSize }

    /// The final batch: the kept groups, filled up with spare groups when the draws ran out.
    func batch(_ outcome: Outcome) -> [CompletionSample] {
        let wanted = promptsWanted * groupSize
        var batch = Array(outcome.kept.prefix(wanted))
        if batch.count < wanted { batch.append(contentsOf: outcome.spare.prefix(wanted - batch.count)) }
        return batch
    }
}
