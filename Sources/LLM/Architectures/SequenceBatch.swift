import Tensor

/// The rows of one forward pass: several sequences' new tokens laid end to end (no padding),
/// each with the position of its first new token and, when decoding, its KV cache; without
/// caches, a sequence may continue another one's rows (a prompt shared by several completions).
public struct SequenceBatch {
    public struct Sequence {
        /// Rows of the batch's [N, d] activations that belong to this sequence.
        public var rows: Range<Int>
        /// Absolute position of the first row (the cache length when decoding, the prefix's
        /// length when continuing one).
        public var startPosition: Int
        public var cache: KVCache?
        /// Rows of an earlier sequence of the batch that this one continues: it attends to them
        /// before its own rows. Empty when it stands alone.
        public var prefix: Range<Int> = 0..<0

        public var positions: [Int] { Array(startPosition ..< startPosition + rows.count) }
    }

    public var sequences: [Sequence]
    public var tokens: [Int]

    /// New tokens of each sequence; positions continue from each cache's length.
    public init(tokens: [[Int]], caches: [KVCache]? = nil) {
        precondition(caches == nil || caches!.count == tokens.count, "SequenceBatch: one cache per sequence")
        var start = 0
        sequences = []
        for (index, sequenceTokens) in tokens.enumerated() {
            let cache = caches?[index]
            sequences.append(Sequence(rows: start ..< start + sequenceTokens.count,
                                      startPosition: cache?.length ?? 0, cache: cache))
            start += sequenceTokens.count
        }
        self.tokens = tokens.flatMap { $0 }
    }

    /// Sequences without caches where `tokens[i]` continues sequence `continuing[i]` when that is
    /// set: an earlier sequence that itself continues none. A continuation attends to its
    /// prefix's rows, then its own, at positions going on from the prefix's length; every
    /// row-wise layer computes the shared rows once.
    public init(tokens: [[Int]], continuing: [Int?]) {
        precondition(continuing.count == tokens.count, "SequenceBatch: one `continuing` entry per sequence")
        self.init(tokens: tokens)
        for (index, parent) in continuing.enumerated() {
            guard let parent else { continue }
            precondition(parent < index && continuing[parent] == nil,
                         "SequenceBatch: sequence \(index) continues \(parent), which must come before it and continue none")
            sequences[index].prefix = sequences[parent].rows
            sequences[index].startPosition = sequences[parent].rows.count
        }
    }

    public var rowCount: Int { tokens.count }
    /// Positions of every row, in row order.
    public var positions: [Int] { sequences.flatMap(\.positions) }
    /// The sequences as `packedAttention` takes them.
    public var packedSequences: [PackedSequence] { sequences.map { PackedSequence(rows: $0.rows, prefix: $0.prefix) } }
}
