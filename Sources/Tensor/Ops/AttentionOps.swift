// Differentiable causal attention with grouped KV heads (Kernels/AttentionKernels.swift).

/// Causal scaled-dot-product attention: query [T, heads·headDim], key and value
/// [keyOffset + T, kvHeads·headDim] (a cached prefix then the new rows) → [T, heads·headDim].
///
/// Key and value may have more rows than `keyOffset + T` (a preallocated KV cache); the extra
/// rows are not read and get no gradient.
public func attention(query: Tensor, key: Tensor, value: Tensor, configuration: AttentionConfiguration) -> Tensor {
    let c = configuration
    precondition(query.count == c.queryCount * c.queryWidth,
                 "attention: query \(query.shape) is not [\(c.queryCount), \(c.queryWidth)]")
    precondition(key.lastDimension == c.keyWidth && value.lastDimension == c.keyWidth
        && key.count >= c.keyCount * c.keyWidth && value.count >= c.keyCount * c.keyWidth,
        "attention: key \(key.shape) / value \(value.shape) need at least [\(c.keyCount), \(c.keyWidth)]")
    let out = Tensor(zeros: [c.queryCount, c.queryWidth])
    var logSumExp = [Float](repeating: 0, count: c.heads * c.queryCount)
    out.withUnsafeMutableBufferPointer { o in
        logSumExp.withUnsafeMutableBufferPointer { lse in
            withBuffers(query, key) { q, k in
                value.withUnsafeBufferPointer { v in
                    attentionForward(out: o, logSumExp: lse, query: q, key: k, value: v, configuration: c)
                }
            }
        }
    }
    guard Tensor.isRecording([query, key, value]) else { return out }
    let savedOut = out.detach(), savedLogSumExp = logSumExp
    return Tensor.record(out, inputs: [query, key, value]) { outGrad in
        // The kernel writes all three gradients; scratch buffers stand in for inputs without grad.
        let dQuery = query.requiresGrad ? nil : Tensor(zeros: query.shape)
        let dKey = key.requiresGrad ? nil : Tensor(zeros: key.shape)
        let dValue = value.requiresGrad ? nil : Tensor(zeros: value.shape)
        withGradient(of: query, scratch: dQuery) { dq in
            withGradient(of: key, scratch: dKey) { dk in
                withGradient(of: value, scratch: dValue) { dv in
                    outGrad.withUnsafeBufferPointer { dOut in
                        withBuffers(query, key) { q, k in
                            withBuffers(value, savedOut) { v, o in
                                savedLogSumExp.withUnsafeBufferPointer { lse in
                                    attentionBackward(dQuery: dq, dKey: dk, dValue: dv, dOut: dOut,
                                                      query: q, key: k, value: v, out: o, logSumExp: lse,
                                                      configuration: c)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
