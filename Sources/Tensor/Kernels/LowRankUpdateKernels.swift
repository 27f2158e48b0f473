// The LoRA update y += scale·(x·Aᵀ)·Bᵀ with A [rank, in] and B [out, rank] (PEFT's shapes).
// Forward and backward are a few cblas_sgemm calls; the backward accumulates (+=).

/// Up to this many rows, `lowRankUpdateForward` computes row by row with dot products instead
/// of calling sgemm.
public let lowRankDirectRowLimit = 8

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
    if rows <= lowRankDirectRowLimit {
        // Decode steps (a few rows): two sgemm calls per projection cost more in waking and
        // joining BLAS threads than the ~rank·(in + out) multiply-adds per row; plain dot
        // products row by row also make each row's result independent of how many rows share
        // the call.
        for row in 0..<rows {
            let x = input.baseAddress! + row * inFeatures, p = projected.baseAddress! + row * rank
            for j in 0..<rank { p[j] = rowDot(x, a.baseAddress! + j * inFeatures, count: inFeatures) }
            let y = out.baseAddress! + row * outFeatures
            for o in 0..<outFeatures { y[o] += scale * rowDot(p, b.baseAddress! + o * rank, count: rank) }
        }
        return
    }
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

/// Σ a[i]·b[i], 16 lanes at a time, the lanes reduced by halving (a SIMD16's `sum()` goes lane
/// by lane, which dominates a rank-16 dot product).
@inline(__always)
private func rowDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD16<Float>(repeating: 0)
    var i = 0
    while i + 16 <= count {
        lanes += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
        i += 16
    }
    let eight = lanes.lowHalf + lanes.highHalf, four = eight.lowHalf + eight.highHalf
    let two = four.lowHalf + four.highHalf
    var total = two[0] + two[1]
    while i < count {
        total += a[i] * b[i]
        i += 1
    }
    return total
}
