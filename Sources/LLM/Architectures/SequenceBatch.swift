/// The rows of one forward pass: several sequences' new tokens laid end to end (no padding),
/// each with the position of its first new token and, when decoding, its KV cache.
public struct SequenceBatch {
    public struct Sequence {
        /// Rows of the batch's [N, d] activations that belong to this sequence.
        public var rows: Range<Int>
        /// Absolute position of the first row (the cache length when decoding).
        public var startPosition: Int
        public var cache: KVCache?

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

    public var rowCount: Int { tokens.count }
    /// Positions of every row, in row order.
    public var positions: [Int] { sequences.flatMap(\.positions) }
}
