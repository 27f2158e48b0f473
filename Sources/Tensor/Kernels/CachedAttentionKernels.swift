import CQuantKernels
import Foundation

// Attention of a few new query rows per sequence against each sequence's KV cache, for decode
// steps. A cache may be two segments, a shared prefix (a prompt's keys and values, read by all G
// completions of that prompt) followed by the sequence's own rows, so completions need no copy
// of the prompt. Rows may be Float32 or Float16.
//
// Work is split into items of (sequence, KV head, block of `keyBlockSize` keys): one item reads
// each of its key and value rows once for all the query heads that share the KV head
// (`cqk_attend_rows`, SIMD in C), and keeps an unnormalized partial result (maximum score, sum
// of exponentials, weighted values); the partials of a sequence's blocks are then merged in
// block order. Blocks are cut from each sequence alone, so every output depends only on its own
// sequence, never on the batch or on which thread ran an item; a single sequence of a few
// hundred keys still gives both cores work. Forward only (generation runs without gradients).

/// How the elements of cached key/value rows are stored.
public enum KeyValueFormat: Sendable {
    case float32
    /// IEEE half precision: half the bytes, values rounded once when stored.
    case float16

    /// Bytes of one element.
    public var byteCount: Int { self == .float32 ? 4 : 2 }

    var code: Int32 { self == .float32 ? Int32(CQK_KV_FLOAT32) : Int32(CQK_KV_FLOAT16) }
}

/// Keys and values of one sequence: `prefixCount` rows of a shared prefix, then `count` rows of
/// its own, each row `kvHeads · headDim` elements of `format`. The last rows are the new query
/// rows' own keys.
public struct KeyValueSegments {
    public var format: KeyValueFormat
    public var prefixKeys: UnsafeRawPointer?
    public var prefixValues: UnsafeRawPointer?
    public var prefixCount: Int
    public var keys: UnsafeRawPointer
    public var values: UnsafeRawPointer
    public var count: Int

    /// Segments of rows in `format`.
    public init(format: KeyValueFormat, prefixKeys: UnsafeRawPointer?, prefixValues: UnsafeRawPointer?, prefixCount: Int,
                keys: UnsafeRawPointer, values: UnsafeRawPointer, count: Int) {
        self.format = format
        self.prefixKeys = prefixKeys
        self.prefixValues = prefixValues
        self.prefixCount = prefixKeys == nil || prefixValues == nil ? 0 : prefixCount
        self.keys = keys
        self.values = values
        self.count = count
    }

    /// Segments of Float32 rows.
    public init(prefixKeys: UnsafePointer<Float>? = nil, prefixValues: UnsafePointer<Float>? = nil, prefixCount: Int = 0,
                keys: UnsafePointer<Float>, values: UnsafePointer<Float>, count: Int) {
        self.init(format: .float32, prefixKeys: prefixKeys.map(UnsafeRawPointer.init),
                  prefixValues: prefixValues.map(UnsafeRawPointer.init), prefixCount: prefixCount,
                  keys: UnsafeRawPointer(keys), values: UnsafeRawPointer(values), count: count)
    }

    /// Rows in both segments.
    public var totalCount: Int { prefixCount + count }

    /// Key and value rows from row `j` (over both segments) on, starting at element `column` of
    /// each row of `width` elements, as the C kernel reads them.
    @inline(__always)
    func rows(from j: Int, width: Int, column: Int) -> (keys: cqk_kv_rows, values: cqk_kv_rows) {
        let bytes = width * format.byteCount, offset = column * format.byteCount
        if j < prefixCount, let prefixKeys, let prefixValues {
            return (cqk_kv_rows(first: prefixKeys + j * bytes + offset, second: keys + offset, split: Int64(prefixCount - j)),
                    cqk_kv_rows(first: prefixValues + j * bytes + offset, second: values + offset, split: Int64(prefixCount - j)))
        }
        let own = (j - prefixCount) * bytes + offset
        return (cqk_kv_rows(first: keys + own, second: keys + own, split: Int64.max),
                cqk_kv_rows(first: values + own, second: values + own, split: Int64.max))
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

/// Keys per work item of `cachedAttentionForward` (blocks of positions, across the two segments).
public let cachedAttentionKeyBlockSize = 64

/// out[N, heads·headDim] = attention of each sequence's query rows to its cached keys/values.
///
/// `shape` gives heads, kvHeads, headDim, scale, sliding window, soft cap and causality; its
/// `queryCount`/`keyOffset` are ignored (each sequence's come from its rows and cache). Query
/// row t of a sequence with S keys and T rows sits at position S − T + t and sees the keys the
/// prefill's attention would (`AttentionConfiguration.visibleKeys`). Each output depends only
/// on its own sequence and `instructionSet`, not on the batch or the thread count.
public func cachedAttentionForward(
    out: UnsafeMutablePointer<Float>,
    query: UnsafePointer<Float>,
    sequences: [CachedAttentionSequence],
    shape: AttentionConfiguration,
    instructionSet: QuantizedInstructionSet = .current
) {
    guard !sequences.isEmpty else { return }
    precondition(sequences.allSatisfy { $0.cache.totalCount >= $0.rows.count },
                 "cachedAttentionForward: a sequence has fewer cached rows than query rows")
    let plan = CachedAttentionPlan(sequences: sequences, shape: shape)
    let partials = UnsafeMutablePointer<Float>.allocate(capacity: max(1, plan.itemCount * plan.itemStride))
    defer { partials.deallocate() }
    let scratchCount = plan.group * cachedAttentionKeyBlockSize + 2 * shape.headDim
    KernelWorkers.forEachChunk(of: plan.itemCount, costPerItem: plan.costPerItem) { items in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: scratchCount) { scratch in
            for item in items {
                plan.attend(item: item, query: query, sequences: sequences, into: partials + item * plan.itemStride,
                            scratch: scratch.baseAddress!, instructionSet: instructionSet)
            }
        }
    }
    KernelWorkers.forEachChunk(of: sequences.count, costPerItem: plan.itemStride * 2) { range in
        for index in range { plan.merge(partials, sequence: index, of: sequences, into: out) }
    }
}

/// The blocks and items of one `cachedAttentionForward` call, and the layout of their partials.
private struct CachedAttentionPlan {
    /// Keys `keys` of sequence `sequence`: positions 64b..<64(b+1), wherever the segments split,
    /// so a continuation of a shared prefix gets the same bits as one whole cache.
    struct Block {
        var sequence: Int
        var keys: Range<Int>
    }

    let shape: AttentionConfiguration
    /// Query heads per KV head.
    let group: Int
    var blocks: [Block] = []
    /// Each sequence's blocks, as a range of `blocks`.
    var blocksOf: [Range<Int>] = []
    let maximumRows: Int
    /// Floats of one item's partials: per query row, `group` × (headDim weighted values), then
    /// `group` maxima and `group` sums.
    let itemStride: Int

    init(sequences: [CachedAttentionSequence], shape: AttentionConfiguration) {
        self.shape = shape
        group = shape.heads / shape.kvHeads
        maximumRows = sequences.map(\.rows.count).max() ?? 0
        itemStride = maximumRows * group * (shape.headDim + 2)
        let size = cachedAttentionKeyBlockSize
        for (index, sequence) in sequences.enumerated() {
            let first = blocks.count, keyCount = sequence.cache.totalCount
            for start in stride(from: 0, to: keyCount, by: size) {
                blocks.append(Block(sequence: index, keys: start..<min(keyCount, start + size)))
            }
            blocksOf.append(first..<blocks.count)
        }
    }

    var itemCount: Int { blocks.count * shape.kvHeads }

    /// Multiply-adds of a full item (for the decision to split across threads).
    var costPerItem: Int { max(1, maximumRows * cachedAttentionKeyBlockSize * group * shape.headDim * 2) }

    /// The configuration of a sequence's query rows against its keys.
    func configuration(of sequence: CachedAttentionSequence) -> AttentionConfiguration {
        var c = shape
        c.queryCount = sequence.rows.count
        c.keyOffset = sequence.cache.totalCount - sequence.rows.count
        return c
    }

    /// Item (block, KV head): for each query row, the partial attention of its `group` query
    /// heads to the block's keys that row sees (none: a zero sum).
    func attend(item: Int, query: UnsafePointer<Float>, sequences: [CachedAttentionSequence],
                into partial: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                instructionSet: QuantizedInstructionSet) {
        let block = blocks[item / shape.kvHeads], kvHead = item % shape.kvHeads
        let sequence = sequences[block.sequence]
        let c = configuration(of: sequence)
        let d = shape.headDim, width = shape.keyWidth
        for t in 0..<sequence.rows.count {
            let row = partial + t * group * (d + 2)
            let maxima = row + group * d, sums = maxima + group
            let visible = c.visibleKeys(ofQuery: t)
            let first = max(visible.lowerBound, block.keys.lowerBound), end = min(visible.upperBound + 1, block.keys.upperBound)
            guard first < end else {
                for h in 0..<group { maxima[h] = -.infinity; sums[h] = 0 }
                continue
            }
            let rows = sequence.cache.rows(from: first, width: width, column: kvHead * d)
            let q = query + (sequence.rows.lowerBound + t) * shape.queryWidth + kvHead * group * d
            cqk_attend_rows(instructionSet.rawValue, sequence.cache.format.code, q, Int64(group), Int64(d),
                            rows.keys, rows.values, Int64(width), Int64(end - first), shape.scale, shape.softCap ?? 0,
                            scratch, maxima, sums, row)
        }
    }

    /// Sequence `index`'s rows of out = each query head's blocks merged in block order: Σ e^(m_b − M) acc_b / Σ e^(m_b − M) l_b.
    func merge(_ partials: UnsafeMutablePointer<Float>, sequence index: Int, of sequences: [CachedAttentionSequence],
               into out: UnsafeMutablePointer<Float>) {
        let d = shape.headDim
        do {
            let sequence = sequences[index], items = blocksOf[index]
            for t in 0..<sequence.rows.count {
                for kvHead in 0..<shape.kvHeads {
                    for h in 0..<group {
                        func partial(_ block: Int) -> UnsafeMutablePointer<Float> {
                            partials + (block * shape.kvHeads + kvHead) * itemStride + t * group * (d + 2)
                        }
                        var maximum = -Float.infinity
                        for block in items where partial(block)[group * d + group + h] > 0 {
                            maximum = max(maximum, partial(block)[group * d + h])
                        }
                        let o = out + (sequence.rows.lowerBound + t) * shape.queryWidth + (kvHead * group + h) * d
                        o.update(repeating: 0, count: d)
                        var total: Float = 0
                        for block in items {
                            let p = partial(block), sum = p[group * d + group + h]
                            guard sum > 0 else { continue }
                            let weight = Foundation.exp(p[group * d + h] - maximum)
                            total += weight * sum
                            let values = p + h * d
                            for i in 0..<d { o[i] += weight * values[i] }
                        }
                        let inverse = 1 / total
                        for i in 0..<d { o[i] *= inverse }
                    }
                }
            }
        }
    }
}
