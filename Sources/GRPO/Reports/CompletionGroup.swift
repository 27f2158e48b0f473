/// The completions of one prompt (a GRPO group), with which of them scored best and worst.
public struct CompletionGroup {
    /// The dataset row of the prompt.
    public var datasetIndex: Int
    /// Positions of the group's completions in the sample list it was cut from.
    public var sampleIndices: [Int]
    /// The group's completions, in order.
    public var samples: [CompletionSample]

    /// True when every scored completion got the same reward (or none was scored): the
    /// advantages are all 0 and the group teaches nothing.
    public var hasZeroVariance: Bool {
        let rewards = samples.map(\.reward).filter(\.isFinite)
        guard let first = rewards.first else { return true }
        return rewards.allSatisfy { $0 == first }
    }

    /// Whether the completion at `position` in the group has the highest reward (ties included;
    /// never in a zero-variance group).
    public func isBest(_ position: Int) -> Bool { isExtreme(position, best: true) }

    /// Whether the completion at `position` has the lowest reward (ties included; never in a
    /// zero-variance group).
    public func isWorst(_ position: Int) -> Bool { isExtreme(position, best: false) }

    private func isExtreme(_ position: Int, best: Bool) -> Bool {
        guard !hasZeroVariance, samples.indices.contains(position), samples[position].reward.isFinite else { return false }
        let rewards = samples.map(\.reward).filter(\.isFinite)
        return samples[position].reward == (best ? rewards.max() : rewards.min())
    }

    /// How many completions share the most common text, and that count's share of the group.
    public var largestIdenticalShare: (count: Int, fraction: Double) {
        var counts: [String: Int] = [:]
        for sample in samples { counts[sample.completion, default: 0] += 1 }
        let count = counts.values.max() ?? 0
        return (count, samples.isEmpty ? 0 : Double(count) / Double(samples.count))
    }

    /// `samples` cut into groups: runs of consecutive samples with the same `datasetIndex`, each
    /// run split every `groupSize` samples when given (the same prompt drawn twice in a batch).
    public static func groups(of samples: [CompletionSample], groupSize: Int? = nil) -> [CompletionGroup] {
        var groups: [CompletionGroup] = []
        for (index, sample) in samples.enumerated() {
            if var last = groups.last, last.datasetIndex == sample.datasetIndex,
               groupSize.map({ last.samples.count < max(1, $0) }) ?? true {
                last.sampleIndices.append(index)
                last.samples.append(sample)
                groups[groups.count - 1] = last
            } else {
                groups.append(CompletionGroup(datasetIndex: sample.datasetIndex, sampleIndices: [index], samples: [sample]))
            }
        }
        return groups
    }
}
