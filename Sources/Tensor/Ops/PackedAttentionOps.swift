// Differentiable causal attention over sequences packed end to end, with the rotary embedding
// of queries and keys inside the op (kernels: Kernels/AttentionKernels.swift, RoPEKernels.swift).

/// The rotary embedding `packedAttention` applies to queries and keys before the scores.
public struct RotaryPositions {
    public var table: RoPETable
    /// The absolute position of every packed row.
    public var positions: [Int]
    public var pairing: RoPEPairing

    public init(table: RoPETable, positions: [Int], pairing: RoPEPairing = .rotateHalf) {
        self.table = table
        self.positions = positions
        self.pairing = pairing
    }
}

/// Causal attention of each sequence over its own rows: query [N, heads·headDim], key and value
/// [N, kvHeads·headDim], `sequences` the row ranges (in order, covering 0..<N), no KV cache.
/// Equal to `packedAttention` with sequences that continue no prefix.
public func packedAttention(query: Tensor, key: Tensor, value: Tensor, sequences: [Range<Int>],
                            configuration: AttentionConfiguration, rotary: RotaryPositions? = nil) -> Tensor {
    packedAttention(query: query, key: key, value: value, sequences: sequences.map { PackedSequence(rows: $0) },
                    configuration: configuration, rotary: rotary)
}

/// Causal attention of each packed sequence over the rows of the prefix it continues (if any)
/// and then its own rows: query [N, heads·headDim], key and value [N, kvHeads·headDim],
/// `sequences` whose own rows cover 0..<N in order and whose prefixes lie before them; no KV
/// cache. `configuration` gives heads, scale, window and soft-cap (its query count and key offset
/// are replaced per sequence: a continuation's row t sits at key index prefix.count + t, which is
/// how far the window and causality measure). With `rotary`, queries and keys are rotated first,
/// inside the op (a continuation's positions go on from its prefix's).
///
/// Several completions of one prompt share the prompt's rows this way: every row-wise layer
/// computes them once, and the backward adds each completion's dKey/dValue share into them.
/// Keeps for the backward pass only its inputs, its output and one logsumexp per row and head:
/// the rotated queries and keys are recomputed there (an O(N·width) pass), and no per-sequence
/// slices or concatenated copies exist. Equal to rotating, slicing, calling `attention` per
/// sequence (keys and values: prefix rows, then own rows) and concatenating.
public func packedAttention(query: Tensor, key: Tensor, value: Tensor, sequences: [PackedSequence],
                            configuration: AttentionConfiguration, rotary: RotaryPositions? = nil) -> Tensor {
    let c = configuration, rows = query.rowCount
    precondition(query.lastDimension == c.queryWidth && key.lastDimension == c.keyWidth
        && value.lastDimension == c.keyWidth && key.rowCount == rows && value.rowCount == rows,
        "packedAttention: query \(query.shape), key \(key.shape), value \(value.shape) do not fit \(c.heads)/\(c.kvHeads) heads of \(c.headDim)")
    precondition(sequences.first?.rows.lowerBound ?? 0 == 0 && sequences.last?.rows.upperBound ?? 0 == rows
        && zip(sequences, sequences.dropFirst()).allSatisfy { $0.rows.upperBound == $1.rows.lowerBound },
        "packedAttention: sequences \(sequences.map(\.rows)) do not cover rows 0..<\(rows) in order")
    precondition(sequences.allSatisfy { $0.prefix.isEmpty || ($0.prefix.lowerBound >= 0 && $0.prefix.upperBound <= $0.rows.lowerBound) },
        "packedAttention: a sequence's prefix rows must come before its own rows")
    let positions = rotary.map { int32Indices($0.positions, name: "packedAttention position", limit: $0.table.maxPositions) }
    precondition(positions.map { $0.count == rows } ?? true, "packedAttention: \(rotary?.positions.count ?? 0) positions for \(rows) rows")

    /// Queries and keys as the scores see them: rotated copies with `rotary`, else the inputs.
    func rotatedInputs() -> (Tensor, Tensor) {
        guard let rotary, let positions else { return (query.detach(), key.detach()) }
        func rotate(_ x: Tensor, heads: Int) -> Tensor {
            let out = Tensor(shape: x.shape, storage: TensorStorage(uninitializedCount: x.count))
            out.withUnsafeMutableBufferPointer { y in
                x.withUnsafeBufferPointer { input in
                    positions.withUnsafeBufferPointer { p in
                        ropeForward(out: y, input: input, table: rotary.table, positions: p, rows: rows,
                                    heads: heads, headDim: c.headDim, pairing: rotary.pairing)
                    }
                }
            }
            return out
        }
        return (rotate(query, heads: c.heads), rotate(key, heads: c.kvHeads))
    }

    // Every row belongs to a sequence, and each head's products write all of its rows (beta 0).
    let out = Tensor(shape: [rows, c.queryWidth], storage: TensorStorage(uninitializedCount: rows * c.queryWidth))
    var logSumExp = [Float](repeating: 0, count: c.heads * rows)
    do {
        let (q, k) = rotatedInputs()
        out.withUnsafeMutableBufferPointer { o in
            logSumExp.withUnsafeMutableBufferPointer { lse in
                withBuffers(q, k) { qValues, kValues in
                    value.withUnsafeBufferPointer { v in
                        packedAttentionForward(out: o, logSumExp: lse, query: qValues, key: kValues, value: v,
                                               sequences: sequences, configuration: c)
                    }
                }
            }
        }
    }
    guard Tensor.isRecording([query, key, value]) else { return out }
    let savedOut = out.detach(), savedLogSumExp = logSumExp
    return Tensor.record(out, inputs: [query, key, value]) { outGrad in
        let (q, k) = rotatedInputs()
        // Gradients of the rotated queries and keys go to scratch and are rotated back; without
        // rotation they go straight to the inputs. Scratch also stands in for inputs without grad.
        let dRotatedQuery = rotary != nil || !query.requiresGrad ? Tensor(zeros: query.shape) : nil
        let dRotatedKey = rotary != nil || !key.requiresGrad ? Tensor(zeros: key.shape) : nil
        let dValue = value.requiresGrad ? nil : Tensor(zeros: value.shape)
        withGradient(of: query, scratch: dRotatedQuery) { dq in
            withGradient(of: key, scratch: dRotatedKey) { dk in
                withGradient(of: value, scratch: dValue) { dv in
                    outGrad.withUnsafeBufferPointer { dOut in
                        withBuffers(q, k) { qValues, kValues in
                            withBuffers(value, savedOut) { v, o in
                                savedLogSumExp.withUnsafeBufferPointer { lse in
                                    packedAttentionBackward(dQuery: dq, dKey: dk, dValue: dv, dOut: dOut,
                                                            query: qValues, key: kValues, value: v, out: o,
                                                            logSumExp: lse, sequences: sequences, configuration: c)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard let rotary, let positions else { return }
        for (input, rotatedGradient, heads) in [(query, dRotatedQuery, c.heads), (key, dRotatedKey, c.kvHeads)] {
            guard let rotatedGradient else { continue }
            input.withGradient { dInput in
                rotatedGradient.withUnsafeBufferPointer { dOut in
                    positions.withUnsafeBufferPointer { p in
                        ropeBackward(dInput: dInput, dOut: dOut, table: rotary.table, positions: p, rows: rows,
                                     heads: heads, headDim: c.headDim, pairing: rotary.pairing)
                    }
                }
            }
        }
    }
}
