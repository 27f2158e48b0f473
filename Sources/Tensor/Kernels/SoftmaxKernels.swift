import Foundation

// Row-wise softmax, log-softmax and mean cross-entropy over [rows, dim] logits.

/// out[r, :] = softmax(input[r, :]).
public func softmaxForward(
    out: UnsafeMutableBufferPointer<Float>, input: UnsafeBufferPointer<Float>, rows: Int, dim: Int
) {
    precondition(out.count >= rows * dim && input.count >= rows * dim, "softmaxForward: buffers too small")
    guard dim > 0 else { return }
    KernelMath.forEachChunk(of: rows, costPerItem: dim * 4) { range in
        for row in range {
            let x = input.baseAddress! + row * dim, y = out.baseAddress! + row * dim
            let shift = KernelMath.maximum(x, count: dim)
            let total = KernelMath.sumOfExp(x, count: dim, shift: shift)
            KernelMath.writeExp(x, to: y, count: dim, shift: shift, scale: 1 / total)
        }
    }
}

/// dInput += y ⊙ (dOut − Σ dOut·y), with y the softmax output.
public func softmaxBackward(
    dInput: UnsafeMutableBufferPointer<Float>, dOut: UnsafeBufferPointer<Float>,
    out: UnsafeBufferPointer<Float>, rows: Int, dim: Int
) {
    guard rows > 0, dim > 0 else { return }
    KernelMath.forEachChunk(of: rows, costPerItem: dim) { range in
        for row in range {
            let y = out.baseAddress! + row * dim, dy = dOut.baseAddress! + row * dim
            let dx = dInput.baseAddress! + row * dim
            let inner = KernelMath.dot(dy, y, count: dim)
            for i in 0..<dim { dx[i] += y[i] * (dy[i] - inner) }
        }
    }
}

/// out[r, :] = input[r, :] − logsumexp(input[r, :]).
public func logSoftmaxForward(
    out: UnsafeMutableBufferPointer<Float>, input: UnsafeBufferPointer<Float>, rows: Int, dim: Int
) {
    precondition(out.count >= rows * dim && input.count >= rows * dim, "logSoftmaxForward: buffers too small")
    guard dim > 0 else { return }
    KernelMath.forEachChunk(of: rows, costPerItem: dim * 4) { range in
        for row in range {
            let x = input.baseAddress! + row * dim, y = out.baseAddress! + row * dim
            // (x − max) − log Σ exp(x − max): no large intermediate to round.
            let shift = KernelMath.maximum(x, count: dim)
            let logTotal = Foundation.log(KernelMath.sumOfExp(x, count: dim, shift: shift))
            for i in 0..<dim { y[i] = (x[i] - shift) - logTotal }
        }
    }
}

/// dInput += dOut − exp(out)·Σ dOut, with `out` the log-softmax output.
public func logSoftmaxBackward(
    dInput: UnsafeMutableBufferPointer<Float>, dOut: UnsafeBufferPointer<Float>,
    out: UnsafeBufferPointer<Float>, rows: Int, dim: Int
) {
    guard rows > 0, dim > 0 else { return }
    KernelMath.forEachChunk(of: rows, costPerItem: dim * 4) { range in
        for row in range {
            let y = out.baseAddress! + row * dim, dy = dOut.baseAddress! + row * dim
            let dx = dInput.baseAddress! + row * dim
            let total = KernelMath.sum(dy, count: dim)
            for i in 0..<dim { dx[i] += dy[i] }
            KernelMath.accumulateExp(y, into: dx, count: dim, shift: 0, scale: -total)
        }
    }
}

/// log Σ exp(x[i]) over `count` (≥ 1) floats, shifted by the maximum for stability.
@inline(__always)
func logSumExp(_ x: UnsafePointer<Float>, count: Int) -> Float {
    let shift = KernelMath.maximum(x, count: count)
    if shift == -.infinity { return -.infinity }
    return shift + Foundation.log(KernelMath.sumOfExp(x, count: count, shift: shift))
}

/// Mean over non-ignored rows of −log softmax(logits[r])[targets[r]]; rows whose target is
/// `ignoreIndex` count for nothing. Saves each row's logsumexp for the backward and returns
/// the loss and the number of rows counted (the loss is 0 when no row counts).
public func crossEntropyForward(
    logSumExp lse: UnsafeMutableBufferPointer<Float>,
    logits: UnsafeBufferPointer<Float>, targets: UnsafeBufferPointer<Int32>,
    rows: Int, classes: Int, ignoreIndex: Int32 = -100
) -> (loss: Float, counted: Int) {
    precondition(logits.count >= rows * classes && targets.count >= rows && lse.count >= rows,
                 "crossEntropyForward: buffers smaller than the shapes")
    guard rows > 0, classes > 0 else { return (0, 0) }
    KernelMath.forEachChunk(of: rows, costPerItem: classes * 4) { range in
        for row in range { lse[row] = logSumExp(logits.baseAddress! + row * classes, count: classes) }
    }
    var total = 0.0
    var counted = 0
    for row in 0..<rows {
        let x = logits.baseAddress! + row * classes
        let target = targets[row]
        if target == ignoreIndex { continue }
        precondition(target >= 0 && Int(target) < classes, "crossEntropy: target \(target) outside 0..<\(classes)")
        total += Double(lse[row] - x[Int(target)])
        counted += 1
    }
    return (counted == 0 ? 0 : Float(total / Double(counted)), counted)
}

/// dLogits += dLoss/counted · (softmax(logits) − onehot(target)) on non-ignored rows.
public func crossEntropyBackward(
    dLogits: UnsafeMutableBufferPointer<Float>, dLoss: Float,
    logits: UnsafeBufferPointer<Float>, targets: UnsafeBufferPointer<Int32>,
    logSumExp lse: UnsafeBufferPointer<Float>,
    rows: Int, classes: Int, counted: Int, ignoreIndex: Int32 = -100
) {
    guard counted > 0 else { return }
    let scale = dLoss / Float(counted)
    KernelMath.forEachChunk(of: rows, costPerItem: classes * 4) { range in
        for row in range where targets[row] != ignoreIndex {
            let x = logits.baseAddress! + row * classes, dx = dLogits.baseAddress! + row * classes
            let shift = lse[row]
            KernelMath.accumulateExp(x, into: dx, count: classes, shift: shift, scale: scale)
            dx[Int(targets[row])] -= scale
        }
    }
}
