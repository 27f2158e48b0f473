// Linear layer y = x·Wᵀ + b with W in Hugging Face layout [outFeatures, inFeatures].
// Both directions are single `KernelMath.gemm` calls; backward accumulates (+=) into its outputs.

/// out[rows, outFeatures] = input[rows, inFeatures] · weightᵀ + bias.
public func linearForward(
    out: UnsafeMutableBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    weight: UnsafeBufferPointer<Float>,
    bias: UnsafeBufferPointer<Float>?,
    rows: Int, inFeatures: Int, outFeatures: Int
) {
    precondition(out.count >= rows * outFeatures && input.count >= rows * inFeatures
        && weight.count >= outFeatures * inFeatures, "linearForward: buffers smaller than the shapes")
    guard rows > 0, outFeatures > 0 else { return }
    let y = out.baseAddress!
    var beta: Float = 0
    if let bias {
        precondition(bias.count >= outFeatures, "linearForward: bias shorter than outFeatures")
        for row in 0..<rows {
            (y + row * outFeatures).update(from: bias.baseAddress!, count: outFeatures)
        }
        beta = 1
    }
    guard inFeatures > 0 else {
        if beta == 0 { out.update(repeating: 0) }
        return
    }
    KernelMath.gemm(
        transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
        a: input.baseAddress!, lda: inFeatures, b: weight.baseAddress!, ldb: inFeatures,
        beta: beta, c: y, ldc: outFeatures)
}

/// Accumulates the gradients of `linearForward`: dInput += dOut·W, dWeight += dOutᵀ·input,
/// dBias += Σ_rows dOut. Pass nil for gradients that are not needed.
public func linearBackward(
    dInput: UnsafeMutableBufferPointer<Float>?,
    dWeight: UnsafeMutableBufferPointer<Float>?,
    dBias: UnsafeMutableBufferPointer<Float>?,
    dOut: UnsafeBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    weight: UnsafeBufferPointer<Float>,
    rows: Int, inFeatures: Int, outFeatures: Int
) {
    guard rows > 0, outFeatures > 0, inFeatures > 0 else {
        if let dBias, rows > 0 { accumulateColumnSums(of: dOut, rows: rows, columns: outFeatures, into: dBias) }
        return
    }
    if let dInput {
        precondition(dInput.count >= rows * inFeatures, "linearBackward: dInput too small")
        KernelMath.gemm(
            transposeA: false, transposeB: false, m: rows, n: inFeatures, k: outFeatures,
            a: dOut.baseAddress!, lda: outFeatures, b: weight.baseAddress!, ldb: inFeatures,
            beta: 1, c: dInput.baseAddress!, ldc: inFeatures)
    }
    if let dWeight {
        precondition(dWeight.count >= outFeatures * inFeatures, "linearBackward: dWeight too small")
        KernelMath.gemm(
            transposeA: true, transposeB: false, m: outFeatures, n: inFeatures, k: rows,
            a: dOut.baseAddress!, lda: outFeatures, b: input.baseAddress!, ldb: inFeatures,
            beta: 1, c: dWeight.baseAddress!, ldc: inFeatures)
    }
    if let dBias {
        accumulateColumnSums(of: dOut, rows: rows, columns: outFeatures, into: dBias)
    }
}

/// sums[c] += Σ_r values[r, c]; split by columns so workers never share an output.
func accumulateColumnSums(
    of values: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
    into sums: UnsafeMutableBufferPointer<Float>
) {
    KernelMath.forEachChunk(of: columns, costPerItem: rows) { range in
        for row in 0..<rows {
            let source = values.baseAddress! + row * columns
            for column in range { sums[column] += source[column] }
        }
    }
}
