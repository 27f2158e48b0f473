// Differentiable linear layer and embedding lookup (kernels in Kernels/LinearKernels.swift,
// Kernels/EmbeddingKernels.swift).

/// x·Wᵀ + b over the last dimension: x [..., in], weight [out, in] (HF layout), bias [out].
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    precondition(weight.rank == 2 && weight.shape[1] == x.lastDimension,
                 "linear: weight \(weight.shape) does not take inputs of shape \(x.shape)")
    let outFeatures = weight.shape[0], inFeatures = weight.shape[1], rows = x.rowCount
    precondition(bias.map { $0.count == outFeatures } ?? true, "linear: bias must have \(outFeatures) scalars")
    let out = Tensor(zeros: x.shapeReplacingLast(with: outFeatures))
    out.withUnsafeMutableBufferPointer { y in
        withBuffers(x, weight) { input, w in
            withOptionalBuffer(bias) { b in
                linearForward(out: y, input: input, weight: w, bias: b,
                              rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
            }
        }
    }
    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    return Tensor.record(out, inputs: inputs) { outGrad in
        outGrad.withUnsafeBufferPointer { dOut in
            withBuffers(x, weight) { input, w in
                withOptionalGradient(x) { dInput in
                    withOptionalGradient(weight) { dWeight in
                        withOptionalGradient(bias) { dBias in
                            linearBackward(dInput: dInput, dWeight: dWeight, dBias: dBias, dOut: dOut,
                                           input: input, weight: w,
                                           rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
                        }
                    }
                }
            }
        }
    }
}

/// Rows of `table` [vocabulary, dim] for each id: [ids.count, dim]. Backward scatter-adds.
public func embedding(_ ids: [Int], table: Tensor) -> Tensor {
    precondition(table.rank == 2, "embedding: table must be [vocabulary, dim], got \(table.shape)")
    let vocabulary = table.shape[0], dim = table.shape[1]
    let indices = int32Indices(ids, name: "embedding id", limit: vocabulary)
    let out = Tensor(zeros: [ids.count, dim])
    out.withUnsafeMutableBufferPointer { y in
        table.withUnsafeBufferPointer { t in
            indices.withUnsafeBufferPointer { embeddingForward(out: y, table: t, ids: $0, vocabulary: vocabulary, dim: dim) }
        }
    }
    return Tensor.record(out, inputs: [table]) { outGrad in
        table.withGradient { dTable in
            outGrad.withUnsafeBufferPointer { dOut in
                indices.withUnsafeBufferPointer {
                    embeddingBackward(dTable: dTable, dOut: dOut, ids: $0, vocabulary: vocabulary, dim: dim)
                }
            }
        }
    }
}
