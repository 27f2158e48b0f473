import Foundation

// Attention of a few new query rows per sequence against each sequence's KV cache, for decode
// steps: every (sequence, head) pair of a batch in one parallel section, with plain SIMD dot
// products instead of one BLAS call (and one thread hand-off) per sequence and head. A cache
// may be two segments, a shared prefix (a prompt's keys and values, read by all G completions
// of that prompt) followed by the sequence's own rows, so completions need no copy of the prompt.
// Forward only (generation runs without gradients).

/// Keys and values of one sequence: `prefixCount` rows of a shared prefix, then `count` rows of
/// its own, each row `kvHeads · headDim` floats. The last rows are the new query rows' own keys.
public struct KeyValueSegments {
    public var prefixKeys: UnsafePointer<Float>?
    public var prefixValues: UnsafePointer<Float>?
    public var prefixCount: Int
    public var keys: UnsafePointer<Float>
    public var values: UnsafePointer<Float>
    public var count: Int

    public init(prefixKeys: UnsafePointer<Float>? = nil, prefixValues: UnsafePointer<Float>? = nil, prefixCount: Int = 0,
                keys: UnsafePointer<Float>, values: UnsafePointer<Float>, count: Int) {
        self.prefixKeys = prefixKeys
        self.prefixValues = prefixValues
        self.prefixCount = prefixKeys == nil ? 0 : prefixCount
        self.keys = keys
        self.values = values
        self.count = count
    }

    /// Rows in both segments.
    public var totalCount: Int { prefixCount + count }

    /// Row `j` of the keys (over both segments).
    @inline(__always)
    func keyRow(_ j: Int, width: Int) -> UnsafePointer<Float> {
        j < prefixCount ? prefixKeys! + j * width : keys + (j - prefixCount) * width
    }

    /// Row `j` of the values (over both segments).
    @inline(__always)
    func valueRow(_ j: Int, width: Int) -> UnsafePointer<Float> {
        j < prefixCount ? prefixValues! + j * width : values + (j - prefixCount) * width
    }
}

/// One sequence of a cached-attention batch: its rows of the query/output matrices and its cache.
public struct CachedAttentionSequence {
    /// Rows of `query` and `out` that belong to this sequence (its new tokens, in order).
    public var rows: Range<Int>
    /// Its keys and values, the new rows' own included (at the end).
    public var cache: KeyValueSegments

    public init(rows: Range<Int>, cache: KeyValueSegments) {
        self.rows = rows
        self.cache = cache
    }
}

/// out[N, heads·headDim] = attention of each sequence's query rows to its cached keys/values.
///
/// `shape` gives heads, kvHeads, headDim, scale, sliding window, soft cap and causality; its
/// `queryCount`/`keyOffset` are ignored (each sequence's come from its rows and cache). Query
/// row t of a sequence with S keys and T rows sits at position S − T + t and sees the keys the
/// prefill's attention would (`AttentionConfiguration.visibleKeys`). Each output depends only
/// on its own sequence, not on the batch or the thread count.
public func cachedAttentionForward(
    out: UnsafeMutablePointer<Float>,
    query: UnsafePointer<Float>,
    sequences: [CachedAttentionSequence],
    shape: AttentionConfiguration
) {
    guard !sequences.isEmpty else { return }
    let configurations = sequences.map { sequence -> AttentionConfiguration in
        var c = shape
        c.queryCount = sequence.rows.count
        c.keyOffset = sequence.cache.totalCount - sequence.rows.count
        return c
    }
    precondition(zip(sequences, configurations).allSatisfy { $0.rows.count >= 0 && $1.keyOffset >= 0 },
                 "cachedAttentionForward: a sequence has fewer cached rows than query rows")
    let heads = shape.heads
    let longest = configurations.map(\.keyCount).max() ?? 0
    let work = configurations.reduce(0) { $0 + $1.queryCount * $1.keyCount } * shape.headDim * 2
    DecodeWorkers.forEachChunk(of: sequences.count * heads, costPerItem: max(1, work / max(1, sequences.count * heads))) { items in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, longest)) { scores in
            for item in items {
                let sequence = item / heads, head = item % heads
                attendOneHead(out: out, query: query, rows: sequences[sequence].rows,
                              cache: sequences[sequence].cache, head: head,
                              configuration: configurations[sequence], scores: scores.baseAddress!)
            }
        }
    }
}

/// One head of one sequence: scores over the visible keys, a softmax, the weighted sum of values.
@inline(__always)
private func attendOneHead(
    out: UnsafeMutablePointer<Float>, query: UnsafePointer<Float>, rows: Range<Int>,
    cache: KeyValueSegments, head: Int, configuration c: AttentionConfiguration,
    scores: UnsafeMutablePointer<Float>
) {
    let d = c.headDim, kvHead = head / (c.heads / c.kvHeads)
    let keyWidth = c.keyWidth, headColumn = head * d, kvColumn = kvHead * d
    for t in 0..<rows.count {
        let row = rows.lowerBound + t
        let q = query + row * c.queryWidth + headColumn
        let visible = c.visibleKeys(ofQuery: t)
        let first = visible.lowerBound, count = visible.count
        for j in visible {
            scores[j - first] = c.scale * KernelMath.dot(q, cache.keyRow(j, width: keyWidth) + kvColumn, count: d)
        }
        if let cap = c.softCap {
            for i in 0..<count { scores[i] = cap * Foundation.tanh(scores[i] / cap) }
        }
        let shift = KernelMath.maximum(scores, count: count)
        let logSumExp = shift + Foundation.log(KernelMath.sumOfExp(scores, count: count, shift: shift))
        KernelMath.writeExp(scores, to: scores, count: count, shift: logSumExp)
        let o = out + row * c.queryWidth + headColumn
        o.update(repeating: 0, count: d)
        for j in visible {
            KernelMath.addScaled(cache.valueRow(j, width: keyWidth) + kvColumn, times: scores[j - first], into: o, count: d)
        }
    }
}

extension KernelMath {
    /// out[i] += scale · x[i] over `count` floats, 16 lanes at a time.
    @inline(__always)
    static func addScaled(_ x: UnsafePointer<Float>, times scale: Float, into out: UnsafeMutablePointer<Float>, count: Int) {
        let factor = SIMD16<Float>(repeating: scale)
        var i = 0
        while i + 16 <= count {
            let current = UnsafeRawPointer(out + i).loadUnaligned(as: SIMD16<Float>.self)
            let values = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: current + values * factor, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count { out[i] += scale * x[i]; i += 1 }
    }
}
