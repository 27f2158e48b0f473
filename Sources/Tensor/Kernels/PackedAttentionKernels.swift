// Attention over sequences packed end to end: each sequence attends to its own rows only
// (no KV cache), so it is `attentionForward`/`attentionBackward` on each sequence's rows.

/// out[N, heads·headDim] for sequences packed in rows `sequences` (covering 0..<N in order);
/// logSumExp holds, per sequence starting at row r with n rows, [heads, n] at offset heads·r.
/// `configuration`'s query count and key offset are replaced per sequence.
public func packedAttentionForward(
    out: UnsafeMutableBufferPointer<Float>,
    logSumExp: UnsafeMutableBufferPointer<Float>,
    query: UnsafeBufferPointer<Float>,
    key: UnsafeBufferPointer<Float>,
    value: UnsafeBufferPointer<Float>,
    sequences: [Range<Int>],
    configuration: AttentionConfiguration
) {
    for sequence in sequences where !sequence.isEmpty {
        let part = PackedSequence(sequence, configuration)
        attentionForward(out: part.queryRows(out), logSumExp: part.statistics(logSumExp),
                         query: part.queryRows(query), key: part.keyRows(key), value: part.keyRows(value),
                         configuration: part.configuration)
    }
}

/// Accumulates the gradients of `packedAttentionForward` (same layout), sequence by sequence.
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
    sequences: [Range<Int>],
    configuration: AttentionConfiguration
) {
    for sequence in sequences where !sequence.isEmpty {
        let part = PackedSequence(sequence, configuration)
        attentionBackward(dQuery: part.queryRows(dQuery), dKey: part.keyRows(dKey), dValue: part.keyRows(dValue),
                          dOut: part.queryRows(dOut), query: part.queryRows(query), key: part.keyRows(key),
                          value: part.keyRows(value), out: part.queryRows(out),
                          logSumExp: part.statistics(logSumExp), configuration: part.configuration)
    }
}

/// One sequence's slices of the packed buffers.
private struct PackedSequence {
    let rows: Range<Int>
    let configuration: AttentionConfiguration

    init(_ rows: Range<Int>, _ packed: AttentionConfiguration) {
        self.rows = rows
        var configuration = packed
        configuration.queryCount = rows.count
        configuration.keyOffset = 0
        self.configuration = configuration
    }

    func queryRows<Buffer: PackedBuffer>(_ buffer: Buffer) -> Buffer {
        buffer.slice(from: rows.lowerBound * configuration.queryWidth, count: rows.count * configuration.queryWidth)
    }

    func keyRows<Buffer: PackedBuffer>(_ buffer: Buffer) -> Buffer {
        buffer.slice(from: rows.lowerBound * configuration.keyWidth, count: rows.count * configuration.keyWidth)
    }

    func statistics<Buffer: PackedBuffer>(_ buffer: Buffer) -> Buffer {
        buffer.slice(from: rows.lowerBound * configuration.heads, count: rows.count * configuration.heads)
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
