// The LoRA update y += scale·(x·Aᵀ)·Bᵀ with A [rank, in] and B [out, rank] (PEFT's shapes).
// Forward and backward are a few cblas_sgemm calls; the backward accumulates (+=).

/// out[rows, outFeatures] += scale · projected · Bᵀ, where projected[rows, rank] = input · Aᵀ is
/// written for the backward pass.
public func lowRankUpdateForward(
    out: UnsafeMutableBufferPointer<Float>,
    projected: UnsafeMutableBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    a: UnsafeBufferPointer<Float>,
    b: UnsafeBufferPointer<Float>,
    scale: Float,
    rows: Int, inFeatures: Int, outFeatures: Int, rank: Int
) {
    precondition(out.count >= rows * outFeatures && projected.count >= rows * rank
        && input.count >= rows * inFeatures && a.count >= rank * inFeatures && b.count >= outFeatures * rank,
        "lowRankUpdateForward: buffers smaller than the shapes")
    guard rows > 0, rank > 0 else { return }
    KernelMath.gemm(
        transposeA: false, transposeB: true, m: rows, n: rank, k: inFeatures,
        a: input.baseAddress!, lda: inFeatures, b: a.baseAddress!, ldb: inFeatures,
        beta: 0, c: projected.baseAddress!, ldc: rank)
    KernelMath.gemm(
        transposeA: false, transposeB: true, m: rows, n: outFeatures, k: rank, alpha: scale,
        a: projected.baseAddress!, lda: rank, b: b.baseAddress!, ldb: rank,
        beta: 1, c: out.baseAddress!, ldc: outFeatures)
}

/// Accumulates the gradients of `lowRankUpdateForward` given d out: with dP = scale·dOut·B,
/// dB += scale·dOutᵀ·projected, dA += dPᵀ·input, dInput += dP·A. Pass nil for gradients that
/// are not needed.
public func lowRankUpdateBackward(
    dInput: UnsafeMutableBufferPointer<Float>?,
    dA: UnsafeMutableBufferPointer<Float>?,
    dB: UnsafeMutableBufferPointer<Float>?,
    dOut: UnsafeBufferPointer<Float>,
    projected: UnsafeBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    a: UnsafeBufferPointer<Float>,
    b: UnsafeBufferPointer<Float>,
    scale: Float,
    rows: Int, inFeatures: Int, outFeatures: Int, rank: Int
) {
    guard rows > 0, rank > 0, outFeatures > 0 else { return }
    if let dB {
        precondition(dB.count >= outFeatures * rank, "lowRankUpdateBackward: dB too small")
        KernelMath.gemm(
            transposeA: true, transposeB: false, m: outFeatures, n: rank, k: rows, alpha: scale,
            a: dOut.baseAddress!, lda: outFeatures, b: projected.baseAddress!, ldb: rank,
            beta: 1, c: dB.baseAddress!, ldc: rank)
    }
    guard dA != nil || dInput != nil, inFeatures > 0 else { return }
    let dProjected = UnsafeMutablePointer<Float>.allocate(capacity: rows * rank)
    defer { dProjected.deallocate() }
    KernelMath.gemm(
        transposeA: false, transposeB: false, m: rows, n: rank, k: outFeatures, alpha: scale,
        a: dOut.baseAddress!, lda: outFeatures, b: b.baseAddress!, ldb: rank,
        beta: 0, c: dProjected, ldc: rank)
    if let dA {
        precondition(dA.count >= rank * inFeatures, "lowRankUpdateBackward: dA too small")
        KernelMath.gemm(
            transposeA: true, transposeB: false, m: rank, n: inFeatures, k: rows,
            a: dProjected, lda: rank, b: input.baseAddress!, ldb: inFeatures,
            beta: 1, c: dA.baseAddress!, ldc: inFeatures)
    }
    if let dInput {
        precondition(dInput.count >= rows * inFeatures, "lowRankUpdateBackward: dInput too small")
        KernelMath.gemm(
            transposeA: false, transposeB: false, m: rows, n: inFeatures, k: rank,
            a: dProjected, lda: rank, b: a.baseAddress!, ldb: inFeatures,
            beta: 1, c: dInput.baseAddress!, ldc: inFeatures)
    }
}
