// RMSNorm and LayerNorm over the last dimension, llm.c style: the forward saves per-row
// statistics (reciprocal std, mean) that the backward reuses; backward accumulates (+=).

/// How an RMSNorm applies its weight: `x̂·w` (Llama, Qwen, Phi) or `x̂·(1+w)` (Gemma).
public enum RMSNormWeighting: Sendable, Equatable {
    case multiply
    case onePlus

    @inline(__always) func effective(_ w: Float) -> Float { self == .onePlus ? 1 + w : w }
}

/// out = input · rstd · w (or (1+w)), rstd = 1/√(mean(input²) + eps), per row of `dim`.
/// Writes each row's rstd into `reciprocalStd` (length `rows`) for the backward.
public func rmsNormForward(
    out: UnsafeMutableBufferPointer<Float>,
    reciprocalStd: UnsafeMutableBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    weight: UnsafeBufferPointer<Float>,
    rows: Int, dim: Int, eps: Float,
    weighting: RMSNormWeighting = .multiply
) {
    precondition(out.count >= rows * dim && input.count >= rows * dim && weight.count >= dim
        && reciprocalStd.count >= rows, "rmsNormForward: buffers smaller than the shapes")
    guard dim > 0 else { return }
    KernelMath.forEachChunk(of: rows, costPerItem: dim) { range in
        for row in range {
            let x = input.baseAddress! + row * dim, y = out.baseAddress! + row * dim
            let sumSquares = KernelMath.dot(x, x, count: dim)
            let rstd = 1 / (sumSquares / Float(dim) + eps).squareRoot()
            reciprocalStd[row] = rstd
            for i in 0..<dim { y[i] = x[i] * rstd * weighting.effective(weight[i]) }
        }
    }
}

/// Accumulates RMSNorm gradients. With g = dOut·w_eff and x̂ = x·rstd:
/// dx = rstd·(g − x̂·mean(g·x̂)), dw = Σ_rows dOut·x̂ (the same for both weightings).
public func rmsNormBackward(
    dInput: UnsafeMutableBufferPointer<Float>?,
    dWeight: UnsafeMutableBufferPointer<Float>?,
    dOut: UnsafeBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    weight: UnsafeBufferPointer<Float>,
    reciprocalStd: UnsafeBufferPointer<Float>,
    rows: Int, dim: Int,
    weighting: RMSNormWeighting = .multiply
) {
    guard rows > 0, dim > 0 else { return }
    if let dInput {
        KernelMath.forEachChunk(of: rows, costPerItem: dim) { range in
            for row in range {
                let x = input.baseAddress! + row * dim, dy = dOut.baseAddress! + row * dim
                let dx = dInput.baseAddress! + row * dim
                let rstd = reciprocalStd[row]
                var dot: Float = 0
                for i in 0..<dim { dot += dy[i] * weighting.effective(weight[i]) * x[i] }
                let correction = dot * rstd * rstd / Float(dim)
                for i in 0..<dim {
                    dx[i] += rstd * (dy[i] * weighting.effective(weight[i]) - x[i] * correction)
                }
            }
        }
    }
    if let dWeight {
        KernelMath.forEachChunk(of: dim, costPerItem: rows) { columns in
            for row in 0..<rows {
                let x = input.baseAddress! + row * dim, dy = dOut.baseAddress! + row * dim
                let rstd = reciprocalStd[row]
                for i in columns { dWeight[i] += dy[i] * x[i] * rstd }
            }
        }
    }
}

/// out = (input − mean)·rstd·weight + bias per row; saves each row's mean and rstd.
public func layerNormForward(
    out: UnsafeMutableBufferPointer<Float>,
    mean: UnsafeMutableBufferPointer<Float>,
    reciprocalStd: UnsafeMutableBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    weight: UnsafeBufferPointer<Float>,
    bias: UnsafeBufferPointer<Float>,
    rows: Int, dim: Int, eps: Float
) {
    precondition(out.count >= rows * dim && input.count >= rows * dim && weight.count >= dim
        && bias.count >= dim && mean.count >= rows && reciprocalStd.count >= rows,
        "layerNormForward: buffers smaller than the shapes")
    guard dim > 0 else { return }
    KernelMath.forEachChunk(of: rows, costPerItem: dim) { range in
        for row in range {
            let x = input.baseAddress! + row * dim, y = out.baseAddress! + row * dim
            let mu = KernelMath.sum(x, count: dim) / Float(dim)
            var variance: Float = 0
            for i in 0..<dim { variance += (x[i] - mu) * (x[i] - mu) }
            let rstd = 1 / (variance / Float(dim) + eps).squareRoot()
            mean[row] = mu
            reciprocalStd[row] = rstd
            for i in 0..<dim { y[i] = (x[i] - mu) * rstd * weight[i] + bias[i] }
        }
    }
}

/// Accumulates LayerNorm gradients. With x̂ = (x − mean)·rstd and g = dOut·w:
/// dx = rstd·(g − mean(g) − x̂·mean(g·x̂)), dw = Σ dOut·x̂, db = Σ dOut.
public func layerNormBackward(
    dInput: UnsafeMutableBufferPointer<Float>?,
    dWeight: UnsafeMutableBufferPointer<Float>?,
    dBias: UnsafeMutableBufferPointer<Float>?,
    dOut: UnsafeBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    weight: UnsafeBufferPointer<Float>,
    mean: UnsafeBufferPointer<Float>,
    reciprocalStd: UnsafeBufferPointer<Float>,
    rows: Int, dim: Int
) {
    guard rows > 0, dim > 0 else { return }
    if let dInput {
        KernelMath.forEachChunk(of: rows, costPerItem: dim) { range in
            for row in range {
                let x = input.baseAddress! + row * dim, dy = dOut.baseAddress! + row * dim
                let dx = dInput.baseAddress! + row * dim
                let mu = mean[row], rstd = reciprocalStd[row]
                var sumG: Float = 0, sumGXHat: Float = 0
                for i in 0..<dim {
                    let g = dy[i] * weight[i]
                    sumG += g
                    sumGXHat += g * (x[i] - mu) * rstd
                }
                let meanG = sumG / Float(dim), meanGXHat = sumGXHat / Float(dim)
                for i in 0..<dim {
                    let xHat = (x[i] - mu) * rstd
                    dx[i] += rstd * (dy[i] * weight[i] - meanG - xHat * meanGXHat)
                }
            }
        }
    }
    if dWeight != nil || dBias != nil {
        KernelMath.forEachChunk(of: dim, costPerItem: rows) { columns in
            for row in 0..<rows {
                let x = input.baseAddress! + row * dim, dy = dOut.baseAddress! + row * dim
                let mu = mean[row], rstd = reciprocalStd[row]
                if let dWeight { for i in columns { dWeight[i] += dy[i] * (x[i] - mu) * rstd } }
                if let dBias { for i in columns { dBias[i] += dy[i] } }
            }
        }
    }
}
