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
/// heads·r. `configuration`'s query count and key offset are replaced per sequence.
public func packedAttentionForward(
    out: UnsafeMutableBufferPointer<Float>,
    logSumExp: UnsafeMutableBufferPointer<Float>,
    query: UnsafeBufferPointer<Float>,
    key: UnsafeBufferPointer<Float>,
    value: UnsafeBufferPointer<Float>,
    sequences: [PackedSequence],
    configuration: AttentionConfiguration
) {
    for sequence in sequences where !sequence.rows.isEmpty {
        let part = SequenceSlices(sequence, configuration)
        part.withKeysAndValues(key: key, value: value) { k, v in
            attentionForward(out: part.queryRows(out), logSumExp: part.statistics(logSumExp),
                             query: part.queryRows(query), key: k, value: v, configuration: part.configuration)
        }
    }
}

/// Accumulates the gradients of `packedAttentionForward` (same layout), sequence by sequence in
/// order: a shared prefix's dKey and dValue rows receive the sum of every continuation's share.
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
    for sequence in sequences where !sequence.rows.isEmpty {
        let part = SequenceSlices(sequence, configuration)
        part.withKeysAndValues(key: key, value: value) { k, v in
            part.withKeyGradients(dKey: dKey, dValue: dValue) { dK, dV in
                attentionBackward(dQuery: part.queryRows(dQuery), dKey: dK, dValue: dV,
                                  dOut: part.queryRows(dOut), query: part.queryRows(query), key: k,
                                  value: v, out: part.queryRows(out),
                                  logSumExp: part.statistics(logSumExp), configuration: part.configuration)
            }
        }
    }
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
