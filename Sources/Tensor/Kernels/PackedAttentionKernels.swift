// Attention over sequences packed end to end: each sequence attends to its own rows and, when it
// continues a shared prefix (a prompt that several completions follow), to the prefix rows
// first; no KV cache. Per sequence it is `attentionForward`/`attentionBackward` with the prefix
// as the keys before the sequence's own (keyOffset = prefix length).

/// One sequence of a packed batch: its own rows and the rows of the prefix it continues.
public struct PackedSequence: Sendable, Equatable {
    /// Rows of the packed activations holding this sequence's own tokens (its queries).
    public var rows: Range<Int>
    /// Rows of an earlier sequence this one continues (its keys and values come first, at
    /// positions 0..<prefix.count); empty when the sequence stands alone.
    public var prefix: Range<Int>

    public init(rows: Range<Int>, prefix: Range<Int> = 0..<0) {
        self.rows = rows
        self.prefix = prefix
    }
}

/// out[N, heads·headDim] for sequences packed in rows `sequences` (own rows covering 0..<N in
/// order); logSumExp holds, per sequence starting at row r with n rows, [heads, n] at offset
/// heads·r. `configuration`'s query count and key offset are replaced per sequence. The heads of
/// all sequences are spread over the cores together.
public func packedAttentionForward(
    out: UnsafeMutableBufferPointer<Float>,
    logSumExp: UnsafeMutableBufferPointer<Float>,
    query: UnsafeBufferPointer<Float>,
    key: UnsafeBufferPointer<Float>,
    value: UnsafeBufferPointer<Float>,
    sequences: [PackedSequence],
    configuration: AttentionConfiguration
) {
    let parts = sequences.filter { !$0.rows.isEmpty }.map { SequenceSlices($0, configuration) }
    let heads = configuration.heads
    let scratch = parts.map { $0.configuration.queryCount * $0.configuration.keyCount }.max() ?? 0
    withGatheredKeysAndValues(parts, key: key, value: value) { keysAndValues in
        KernelMath.forEachHead(parts.count * heads, scratchCount: scratch) { item, scores in
            let part = parts[item / heads], (k, v) = keysAndValues[item / heads]
            attentionForwardHead(item % heads, scores: scores, out: part.queryRows(out),
                                 logSumExp: part.statistics(logSumExp), query: part.queryRows(query), key: k, value: v,
                                 configuration: part.configuration)
        }
    }
}

/// Accumulates the gradients of `packedAttentionForward` (same layout). The heads of all
/// sequences run together; then, sequence by sequence in order, their dKey and dValue shares are
/// added, a shared prefix's rows receiving the sum of every continuation's share.
public func packedAttentionBackward(
    dQuery: UnsafeMutableBufferPointer<Float>,
    dKey: UnsafeMutableBufferPointer<Float>,
    dValue: UnsafeMutableBufferPointer<Float>,
    dOut: UnsafeBufferPointer<Float>,
    query: UnsafeBufferPointer<Float>,
    key: UnsafeBufferPointer<Float>,
    value: UnsafeBufferPointer<Float>,
    out: UnsafeBufferPointer<Float>,
    logSumExp: UnsafeBufferPointer<Float>,
    sequences: [PackedSequence],
    configuration: AttentionConfiguration
) {
    let parts = sequences.filter { !$0.rows.isEmpty }.map { SequenceSlices($0, configuration) }
    let heads = configuration.heads
    let scratch = parts.map(\.configuration.backwardScratchCount).max() ?? 0
    // Each sequence's per-head dK/dV slabs, one after another.
    let slabStarts = parts.reduce(into: [0]) { $0.append($0.last! + $1.configuration.headKeyGradientCount) }
    let slabs = UnsafeMutablePointer<Float>.allocate(capacity: max(1, slabStarts.last!))
    defer { slabs.deallocate() }
    withGatheredKeysAndValues(parts, key: key, value: value) { keysAndValues in
        KernelMath.forEachHead(parts.count * heads, scratchCount: scratch) { item, scratch in
            let index = item / heads, part = parts[index], (k, v) = keysAndValues[index]
            attentionBackwardHead(item % heads, scratch: scratch, headKeyGradients: slabs + slabStarts[index],
                                  dQuery: part.queryRows(dQuery), dOut: part.queryRows(dOut),
                                  query: part.queryRows(query), key: k, value: v, out: part.queryRows(out),
                                  logSumExp: part.statistics(logSumExp), configuration: part.configuration)
        }
    }
    for (index, part) in parts.enumerated() {
        part.withKeyGradients(dKey: dKey, dValue: dValue) { dK, dV in
            addHeadKeyGradients(slabs + slabStarts[index], dKey: dK, dValue: dV, configuration: part.configuration)
        }
    }
}

/// Runs `body` with every part's keys and values as the attention kernels read them
/// (`SequenceSlices.withKeysAndValues`), all gathered before `body` starts.
private func withGatheredKeysAndValues(
    _ parts: [SequenceSlices], key: UnsafeBufferPointer<Float>, value: UnsafeBufferPointer<Float>,
    _ body: ([(UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>)]) -> Void
) {
    func gather(_ index: Int, _ gathered: [(UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>)]) {
        guard index < parts.count else { return body(gathered) }
        parts[index].withKeysAndValues(key: key, value: value) { k, v in gather(index + 1, gathered + [(k, v)]) }
    }
    gather(0, [])
}

/// One sequence's slices of the packed buffers; keys and values of a sequence with a prefix are
/// gathered (prefix rows, then own rows) into scratch, and their gradients scattered back.
private struct SequenceSlices {
    let sequence: PackedSequence
    let configuration: AttentionConfiguration

    init(_ sequence: PackedSequence, _ packed: AttentionConfiguration) {
        self.sequence = sequence
        var configuration = packed
        configuration.queryCount = sequence.rows.count
        configuration.keyOffset = sequence.prefix.count
        self.configuration = configuration
    }

    func queryRows<Buffer: PackedBuffer>(_ buffer: Buffer) -> Buffer {
        buffer.slice(from: sequence.rows.lowerBound * configuration.queryWidth,
                     count: sequence.rows.count * configuration.queryWidth)
    }

    func keyRows<Buffer: PackedBuffer>(_ buffer: Buffer, _ rows: Range<Int>) -> Buffer {
        buffer.slice(from: rows.lowerBound * configuration.keyWidth, count: rows.count * configuration.keyWidth)
    }

    func statistics<Buffer: PackedBuffer>(_ buffer: Buffer) -> Buffer {
        buffer.slice(from: sequence.rows.lowerBound * configuration.heads, count: sequence.rows.count * configuration.heads)
    }

    /// The sequence's keys and values as the attention kernels read them: [prefix; own rows].
    func withKeysAndValues(key: UnsafeBufferPointer<Float>, value: UnsafeBufferPointer<Float>,
                           _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void) {
        guard !sequence.prefix.isEmpty else {
            body(keyRows(key, sequence.rows), keyRows(value, sequence.rows))
            return
        }
        let count = configuration.keyCount * configuration.keyWidth
        let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: 2 * count)
        defer { scratch.deallocate() }
        let k = scratch.slice(from: 0, count: count), v = scratch.slice(from: count, count: count)
        for (source, target) in [(key, k), (value, v)] {
            let prefix = keyRows(source, sequence.prefix), own = keyRows(source, sequence.rows)
            _ = UnsafeMutableBufferPointer(rebasing: target[0..<prefix.count]).initialize(from: prefix)
            _ = UnsafeMutableBufferPointer(rebasing: target[prefix.count...]).initialize(from: own)
        }
        body(UnsafeBufferPointer(k), UnsafeBufferPointer(v))
    }

    /// Gradient buffers laid out like `withKeysAndValues`; a prefix's share is added back to its rows.
    func withKeyGradients(dKey: UnsafeMutableBufferPointer<Float>, dValue: UnsafeMutableBufferPointer<Float>,
                          _ body: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> Void) {
        guard !sequence.prefix.isEmpty else {
            body(keyRows(dKey, sequence.rows), keyRows(dValue, sequence.rows))
            return
        }
        let count = configuration.keyCount * configuration.keyWidth
        let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: 2 * count)
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 0)
        let dK = scratch.slice(from: 0, count: count), dV = scratch.slice(from: count, count: count)
        body(dK, dV)
        for (gradient, target) in [(dK, dKey), (dV, dValue)] {
            let prefix = keyRows(target, sequence.prefix), own = keyRows(target, sequence.rows)
            for i in prefix.indices { prefix[i] += gradient[i] }
            for i in own.indices { own[i] += gradient[prefix.count + i] }
        }
    }
}

private protocol PackedBuffer {
    func slice(from start: Int, count: Int) -> Self
}

extension UnsafeBufferPointer<Float>: PackedBuffer {
    fileprivate func slice(from start: Int, count: Int) -> Self {
        UnsafeBufferPointer(rebasing: self[start ..< start + count])
    }
}

extension UnsafeMutableBufferPointer<Float>: PackedBuffer {
    fileprivate func slice(from start: Int, count: Int) -> Self {
        UnsafeMutableBufferPointer(rebasing: self[start ..< start + count])
    }
}
