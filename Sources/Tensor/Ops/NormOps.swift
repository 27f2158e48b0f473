// Differentiable RMSNorm and LayerNorm over the last dimension (kernels in Kernels/NormKernels.swift).

/// x·rstd·w, or x·rstd·(1+w) with `weighting: .onePlus` (Gemma); rstd = 1/√(mean(x²)+eps).
public func rmsNorm(_ x: Tensor, weight: Tensor, eps: Float, weighting: RMSNormWeighting = .multiply) -> Tensor {
    let dim = x.lastDimension, rows = x.rowCount
    precondition(weight.count == dim, "rmsNorm: weight has \(weight.count) scalars for rows of \(dim)")
    // The kernels write every scalar of `out`: no zero-fill.
    let out = Tensor(shape: x.shape, storage: TensorStorage(uninitializedCount: x.count))
    var reciprocalStd = [Float](repeating: 0, count: rows)
    out.withUnsafeMutableBufferPointer { y in
        withBuffers(x, weight) { input, w in
            reciprocalStd.withUnsafeMutableBufferPointer { rstd in
                rmsNormForward(out: y, reciprocalStd: rstd, input: input, weight: w,
                               rows: rows, dim: dim, eps: eps, weighting: weighting)
            }
        }
    }
    return Tensor.record(out, inputs: [x, weight]) { outGrad in
        outGrad.withUnsafeBufferPointer { dOut in
            withBuffers(x, weight) { input, w in
                reciprocalStd.withUnsafeBufferPointer { rstd in
                    withOptionalGradient(x) { dInput in
                        withOptionalGradient(weight) { dWeight in
                            rmsNormBackward(dInput: dInput, dWeight: dWeight, dOut: dOut, input: input,
                                            weight: w, reciprocalStd: rstd, rows: rows, dim: dim,
                                            weighting: weighting)
                        }
                    }
                }
            }
        }
    }
}

/// (x − mean)·rstd·weight + bias over the last dimension.
public func layerNorm(_ x: Tensor, weight: Tensor, bias: Tensor, eps: Float) -> Tensor {
    let dim = x.lastDimension, rows = x.rowCount
    precondition(weight.count == dim && bias.count == dim,
                 "layerNorm: weight and bias need \(dim) scalars, got \(weight.count) and \(bias.count)")
    let out = Tensor(shape: x.shape, storage: TensorStorage(uninitializedCount: x.count))
    var mean = [Float](repeating: 0, count: rows)
    var reciprocalStd = [Float](repeating: 0, count: rows)
    out.withUnsafeMutableBufferPointer { y in
        withBuffers(x, weight) { input, w in
            bias.withUnsafeBufferPointer { b in
                mean.withUnsafeMutableBufferPointer { mu in
                    reciprocalStd.withUnsafeMutableBufferPointer { rstd in
                        layerNormForward(out: y, mean: mu, reciprocalStd: rstd, input: input, weight: w,
                                         bias: b, rows: rows, dim: dim, eps: eps)
                    }
                }
            }
        }
    }
    return Tensor.record(out, inputs: [x, weight, bias]) { outGrad in
        outGrad.withUnsafeBufferPointer { dOut in
            withBuffers(x, weight) { input, w in
                mean.withUnsafeBufferPointer { mu in
                    reciprocalStd.withUnsafeBufferPointer { rstd in
                        withOptionalGradient(x) { dInput in
                            withOptionalGradient(weight) { dWeight in
                                withOptionalGradient(bias) { dBias in
                                    layerNormBackward(dInput: dInput, dWeight: dWeight, dBias: dBias,
                                                      dOut: dOut, input: input, weight: w, mean: mu,
                                                      reciprocalStd: rstd, rows: rows, dim: dim)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
