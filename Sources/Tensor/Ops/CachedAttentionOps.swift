// Attention of decode steps against KV caches (kernel in Kernels/CachedAttentionKernels.swift).

/// query [N, heads·headDim] → [N, heads·headDim]: each sequence's rows attend to its cache
/// (`CachedAttentionSequence`), whose pointers must stay valid during the call.
///
/// Not differentiable: records nothing (generation runs under `Autograd.noGrad`); the
/// differentiable `attention` takes contiguous keys instead. `instructionSet` picks the kernel
/// (tests compare them; the default is the process's choice).
public func cachedAttention(query: Tensor, sequences: [CachedAttentionSequence],
                            configuration: AttentionConfiguration,
                            instructionSet: QuantizedInstructionSet = .current) -> Tensor {
    let width = configuration.queryWidth
    precondition(query.lastDimension == width, "cachedAttention: query \(query.shape) rows are not \(width) wide")
    precondition(sequences.allSatisfy { $0.rows.upperBound <= query.rowCount },
                 "cachedAttention: a sequence's rows lie outside the \(query.rowCount) query rows")
    let out = Tensor(shape: [query.rowCount, width], storage: TensorStorage(count: query.rowCount * width))
    out.withUnsafeMutableBufferPointer { o in
        query.withUnsafeBufferPointer { q in
            cachedAttentionForward(out: o.baseAddress!, query: q.baseAddress!, sequences: sequences, shape: configuration,
                                   instructionSet: instructionSet)
        }
    }
    return out
}
