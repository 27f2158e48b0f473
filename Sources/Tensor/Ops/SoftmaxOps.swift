// Differentiable softmax, log-softmax and cross-entropy over the last dimension
// (Kernels/SoftmaxKernels.swift).

/// softmax over the last dimension.
public func softmax(_ x: Tensor) -> Tensor {
    let dim = x.lastDimension, rows = x.rowCount
    let out = Tensor(zeros: x.shape)
    out.withUnsafeMutableBufferPointer { y in
        x.withUnsafeBufferPointer { softmaxForward(out: y, input: $0, rows: rows, dim: dim) }
    }
    let saved = out.detach()
    return Tensor.record(out, inputs: [x]) { outGrad in
        x.withGradient { dInput in
            withBuffers(outGrad, saved) { dOut, y in
                softmaxBackward(dInput: dInput, dOut: dOut, out: y, rows: rows, dim: dim)
            }
        }
    }
}

/// log-softmax over the last dimension.
public func logSoftmax(_ x: Tensor) -> Tensor {
    let dim = x.lastDimension, rows = x.rowCount
    let out = Tensor(zeros: x.shape)
    out.withUnsafeMutableBufferPointer { y in
        x.withUnsafeBufferPointer { logSoftmaxForward(out: y, input: $0, rows: rows, dim: dim) }
    }
    let saved = out.detach()
    return Tensor.record(out, inputs: [x]) { outGrad in
        x.withGradient { dInput in
            withBuffers(outGrad, saved) { dOut, y in
                logSoftmaxBackward(dInput: dInput, dOut: dOut, out: y, rows: rows, dim: dim)
            }
        }
    }
}

/// Mean over rows of −log softmax(logits)[target] for logits [..., classes] and one target per
/// row; rows whose target is `ignoreIndex` are left out of the mean. A scalar tensor.
public func crossEntropy(logits: Tensor, targets: [Int], ignoreIndex: Int = -100) -> Tensor {
    let classes = logits.lastDimension, rows = logits.rowCount
    precondition(targets.count == rows, "crossEntropy: \(targets.count) targets for \(rows) rows")
    let targetIndices = int32Indices(targets, name: "crossEntropy target")
    let ignored = Int32(clamping: ignoreIndex)
    var logSumExp = [Float](repeating: 0, count: rows)
    let (loss, counted) = logits.withUnsafeBufferPointer { x in
        targetIndices.withUnsafeBufferPointer { t in
            logSumExp.withUnsafeMutableBufferPointer { lse in
                crossEntropyForward(logSumExp: lse, logits: x, targets: t, rows: rows, classes: classes,
                                    ignoreIndex: ignored)
            }
        }
    }
    let savedLogSumExp = logSumExp
    return Tensor.record(Tensor(scalar: loss), inputs: [logits]) { outGrad in
        let dLoss = outGrad.scalar
        logits.withGradient { dLogits in
            logits.withUnsafeBufferPointer { x in
                targetIndices.withUnsafeBufferPointer { t in
                    savedLogSumExp.withUnsafeBufferPointer { lse in
                        crossEntropyBackward(dLogits: dLogits, dLoss: dLoss, logits: x, targets: t,
                                             logSumExp: lse, rows: rows, classes: classes,
                                             counted: counted, ignoreIndex: ignored)
                    }
                }
            }
        }
    }
}
