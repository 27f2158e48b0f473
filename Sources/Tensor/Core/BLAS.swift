import COpenBLAS

/// OpenBLAS: the core-type choice, the thread count and a thin `sgemm` wrapper.
public enum BLAS {
    /// The `OPENBLAS_CORETYPE` that ran sgemm fastest on this project's machine (AMD EPYC, Zen 4):
    /// Haswell's AVX2 kernels beat the SkylakeX/Cooperlake AVX-512 ones by 3–10% on the default
    /// model's shapes, on 1 and 2 threads (BENCHMARKS.md, "OpenBLAS core type").
    /// The launcher exports it and re-executes before OpenBLAS loads; the Makefile exports it for tests.
    public static let preferredCoreType = "Haswell"

    /// The `OPENBLAS_THREAD_TIMEOUT` the launcher exports: OpenBLAS's workers wait 2^4 cycles for
    /// the next product before they sleep, instead of yielding the core for 2^28 (its default).
    /// Between a training step's products the yielding worker took CPU time from the threads
    /// doing the step's other work; the forward+backward was 1–6 % faster in five of five
    /// interleaved pairs of `bench grpo` (BENCHMARKS.md, "Session 10").
    public static let preferredThreadTimeout = "4"

    /// The kernel family OpenBLAS chose when it loaded (for example "SkylakeX" or "Haswell").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The number of threads OpenBLAS uses for one call.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses (at least 1).
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// C = alpha · op(A) · op(B) + beta · C for row-major matrices, where op(X) is X or Xᵀ.
    ///
    /// op(A) is m×k, op(B) is k×n, C is m×n. `lda`, `ldb`, `ldc` are the row strides of the
    /// matrices as stored (defaulting to their dense widths).
    @inlinable
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int? = nil,
        b: UnsafePointer<Float>, ldb: Int? = nil,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int? = nil
    ) {
        guard m > 0, n > 0 else { return }
        let lda = lda ?? (transposeA ? m : k)
        let ldb = ldb ?? (transposeB ? k : n)
        let ldc = ldc ?? n
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)),
                    beta, c, Int32(max(ldc, 1)))
    }
}
