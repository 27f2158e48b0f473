// Matrix products through cblas_sgemm: 2-D, batched 3-D, and 3-D activations times a 2-D matrix.

extension Tensor {
    /// The product op(a) · op(b), where op transposes the last two dimensions when asked.
    ///
    /// - [m, k] · [k, n] → [m, n]
    /// - [B, m, k] · [B, k, n] → [B, m, n] (one sgemm per batch item)
    /// - [B, m, k] · [k, n] → [B, m, n] (one sgemm over B·m rows when `a` is not transposed)
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition((a.rank == 2 || a.rank == 3) && (b.rank == 2 || b.rank == 3),
                     "matmul: need 2-D or 3-D operands, got \(a.shape) and \(b.shape)")
        precondition(b.rank == 2 || a.rank == 3, "matmul: a 2-D left operand needs a 2-D right operand")
        if a.rank == 3 && b.rank == 2 && !transposeA {
            // Fold the batch into the rows: one large sgemm.
            let folded = matmul(a.reshaped([a.shape[0] * a.shape[1], a.shape[2]]), b, transposeB: transposeB)
            return folded.reshaped([a.shape[0], a.shape[1], folded.shape[1]])
        }
        let batches = a.rank == 3 ? a.shape[0] : 1
        if a.rank == 3 && b.rank == 3 {
            precondition(b.shape[0] == batches, "matmul: batch sizes \(a.shape[0]) and \(b.shape[0]) differ")
        }
        let (aRows, aColumns) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (bRows, bColumns) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        let m = transposeA ? aColumns : aRows
        let k = transposeA ? aRows : aColumns
        let n = transposeB ? bRows : bColumns
        let bK = transposeB ? bColumns : bRows
        precondition(k == bK, "matmul: inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        let aStride = aRows * aColumns, bStride = b.rank == 3 ? bRows * bColumns : 0, cStride = m * n
        let out = Tensor(shape: a.rank == 3 ? [batches, m, n] : [m, n],
                         storage: k == 0 ? TensorStorage(count: batches * cStride)
                                         : TensorStorage(uninitializedCount: batches * cStride))
        if k > 0 {
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    out.withUnsafeMutableBufferPointer { z in
                        for batch in 0..<batches {
                            BLAS.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                       a: x.baseAddress! + batch * aStride, lda: aColumns,
                                       b: y.baseAddress! + batch * bStride, ldb: bColumns,
                                       c: z.baseAddress! + batch * cStride, ldc: n)
                        }
                    }
                }
            }
        }
        return Tensor.record(out, inputs: [a, b]) { outGrad in
            guard k > 0 else { return }
            outGrad.withUnsafeBufferPointer { g in
                a.withUnsafeBufferPointer { x in
                    b.withUnsafeBufferPointer { y in
                        // d op(A) = dC · op(B)ᵀ and d op(B) = op(A)ᵀ · dC, transposed back when stored transposed.
                        a.withGradient { dA in
                            for batch in 0..<batches {
                                let dC = g.baseAddress! + batch * cStride, bMatrix = y.baseAddress! + batch * bStride
                                let target = dA.baseAddress! + batch * aStride
                                if transposeA {
                                    BLAS.sgemm(transposeA: transposeB, transposeB: true, m: k, n: m, k: n,
                                               a: bMatrix, lda: bColumns, b: dC, ldb: n, beta: 1, c: target, ldc: m)
                                } else {
                                    BLAS.sgemm(transposeA: false, transposeB: !transposeB, m: m, n: k, k: n,
                                               a: dC, lda: n, b: bMatrix, ldb: bColumns, beta: 1, c: target, ldc: k)
                                }
                            }
                        }
                        b.withGradient { dB in
                            for batch in 0..<batches {
                                let dC = g.baseAddress! + batch * cStride, aMatrix = x.baseAddress! + batch * aStride
                                let target = dB.baseAddress! + batch * bStride
                                // A 2-D `b` shared by every batch item accumulates all of them (bStride 0).
                                if transposeB {
                                    BLAS.sgemm(transposeA: true, transposeB: transposeA, m: n, n: k, k: m,
                                               a: dC, lda: n, b: aMatrix, ldb: aColumns, beta: 1, c: target, ldc: k)
                                } else {
                                    BLAS.sgemm(transposeA: !transposeA, transposeB: false, m: k, n: n, k: m,
                                               a: aMatrix, lda: aColumns, b: dC, ldb: n, beta: 1, c: target, ldc: n)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
