import COpenBLAS
import Foundation

/// Shared plumbing for the plain forward/backward kernels: one matrix product call with
/// row-major shapes spelled out (`FloatProductKernels` on AVX-512 CPUs, OpenBLAS otherwise), and
/// coarse splitting of independent work across cores (on `KernelWorkers`' pool).
enum KernelMath {
    /// C[m, n] = alpha · op(A) · op(B) + beta · C, all row-major; `op` transposes when asked.
    ///
    /// `lda`, `ldb` and `ldc` are the row strides of A, B and C as stored (so a head's
    /// columns inside a wider [T, heads·dim] matrix can be used without copying).
    @inline(__always)
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            // BLAS leaves C alone when k == 0 only for beta == 1; make the other cases explicit.
            for row in 0..<m {
                let out = c + row * ldc
                for col in 0..<n { out[col] = beta == 0 ? 0 : beta * out[col] }
            }
            return
        }
        if m == 1 {
            // One row (a decode step): sgemv reads B once, where sgemm would first copy
            // (pack) all of it. A's k values sit lda apart when A is stored transposed.
            let incA = Int32(transposeA ? lda : 1)
            if transposeB {
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(k), alpha, b, Int32(ldb), a, incA, beta, c, 1)
            } else {
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(k), Int32(n), alpha, b, Int32(ldb), a, incA, beta, c, 1)
            }
            return
        }
        if FloatProductKernels.isEnabled {
            FloatProductKernels.multiply(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc,
                onCallingThread: SingleThreadedBLAS.isActive)
            return
        }
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Whether `gemm(…, weight:…)` multiplies `m` rows by a quantized W of `type` itself: the
    /// AVX-512 product kernels read the type's blocks, and there is more than one row (one row
    /// goes to sgemv). Otherwise the caller multiplies by a Float32 copy of W, with the same bits.
    static func multipliesBlocks(of type: GGMLType, rows m: Int) -> Bool {
        m > 1 && FloatProductKernels.isEnabled && FloatProductKernels.readsBlocks(of: type)
    }

    /// C[m, n] = alpha · op(A) · op(W) + beta · C for a quantized W (Wᵀ when `transposeB`), with
    /// W's blocks dequantized straight into the product kernel's packed panels. Needs
    /// `multipliesBlocks(of: weight.type, rows: m)`.
    static func gemm(transposeA: Bool, m: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                     weight: QuantizedMatrix, transposeB: Bool, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        precondition(multipliesBlocks(of: weight.type, rows: m), "KernelMath.gemm: no product over \(weight.type) blocks here")
        FloatProductKernels.multiply(transposeA: transposeA, m: m, alpha: alpha, a: a, lda: lda, weight: weight,
                                     transposeB: transposeB, beta: beta, c: c, ldc: ldc,
                                     onCallingThread: SingleThreadedBLAS.isActive)
    }

    /// How many workers coarse parallel sections use (`Parallel.threadCount`).
    static var workerCount: Int { Parallel.threadCount }

    /// Splits `0..<count` into at most `workerCount` contiguous ranges and runs `body` on each,
    /// concurrently when there is enough work (`count · costPerItem ≥ minimumWork`).
    ///
    /// Each range is handed to one worker, so results are deterministic for a fixed core count.
    static func forEachChunk(
        of count: Int, costPerItem: Int = 1, minimumWork: Int = 32_768,
        _ body: (Range<Int>) -> Void
    ) {
        guard count > 0 else { return }
        let workers = min(workerCount, count)
        if workers == 1 || count * costPerItem < minimumWork {
            body(0..<count)
            return
        }
        KernelWorkers.forEachItem(workers) { worker in body(chunk(worker, of: workers, splitting: count)) }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, spreading items over the cores; use for
    /// a few big independent items (heads, KV groups).
    static func forEachItem(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        if count == 1 || workerCount == 1 {
            for item in 0..<count { body(item) }
            return
        }
        KernelWorkers.forEachItem(count, body)
    }

    /// Whether attention spreads heads over the cores (true when there is more than one worker).
    static var headsConcurrently: Bool { workerCount > 1 }

    /// Runs `body(head, scratch)` for each head, spreading heads over the cores with the products
    /// inside them single-threaded: per-head products are small (T×S×64), and OpenBLAS's own
    /// threads inside concurrent workers oversubscribe the cores (measured 2–3× slower).
    /// Heads are dealt to the workers in turn (worker w takes w, w + workers, …), so items of
    /// different cost listed in order (the heads of one sequence after another's) spread evenly.
    /// Each worker allocates `scratchCount` floats once and reuses them for its heads.
    /// OpenBLAS's thread count is global: while any such section runs, other BLAS calls in the
    /// process are single-threaded too (correct, only slower).
    static func forEachHead(_ count: Int, scratchCount: Int,
                            _ body: (_ head: Int, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        guard count > 0 else { return }
        let workers = headsConcurrently ? min(workerCount, count) : 1
        func run(_ worker: Int) {
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(1, scratchCount))
            defer { scratch.deallocate() }
            for head in stride(from: worker, to: count, by: workers) { body(head, scratch) }
        }
        guard workers > 1 else { return run(0) }
        SingleThreadedBLAS.enter()
        defer { SingleThreadedBLAS.leave() }
        KernelWorkers.forEachItem(workers, run)
    }

    /// The `worker`-th of `workers` near-equal contiguous pieces of `0..<count`.
    @inline(__always)
    static func chunk(_ worker: Int, of workers: Int, splitting count: Int) -> Range<Int> {
        let base = count / workers, extra = count % workers
        let start = worker * base + min(worker, extra)
        return start..<(start + base + (worker < extra ? 1 : 0))
    }
}

// MARK: - Vectorised reductions

extension KernelMath {
    /// Σ a[i]·b[i] over `count` floats, 16 lanes at a time.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= count {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
            lanes += x * y  // not addProduct: without FMA in the target it becomes fmaf calls
            i += 16
        }
        var total = lanes.sum()
        while i < count { total += a[i] * b[i]; i += 1 }
        return total
    }

    /// Σ a[i] over `count` floats, 16 lanes at a time.
    @inline(__always)
    static func sum(_ a: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: 0)
        var i = 0
        while i + 16 <= count {
            lanes += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            i += 16
        }
        var total = lanes.sum()
        while i < count { total += a[i]; i += 1 }
        return total
    }

    /// The largest of `count` (≥ 1) floats.
    @inline(__always)
    static func maximum(_ a: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: -.infinity)
        var i = 0
        while i + 16 <= count {
            let values = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            lanes.replace(with: values, where: values .> lanes)
            i += 16
        }
        var best = lanes.max()
        while i < count { best = Swift.max(best, a[i]); i += 1 }
        return best
    }
}

/// Reference-counted "products on one thread" sections: the first to enter saves OpenBLAS's
/// thread count and sets 1, the last to leave restores it, so overlapping sections on several
/// threads cannot leave OpenBLAS stuck at one thread; `FloatProductKernels` checks `isActive`.
private enum SingleThreadedBLAS {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var savedThreads: Int32 = 1

    static func enter() {
        lock.lock()
        defer { lock.unlock() }
        if depth == 0 {
            savedThreads = openblas_get_num_threads()
            openblas_set_num_threads(1)
        }
        depth += 1
    }

    /// Whether a section that spreads its own work over the cores is running.
    static var isActive: Bool {
        lock.lock()
        defer { lock.unlock() }
        return depth > 0
    }

    static func leave() {
        lock.lock()
        defer { lock.unlock() }
        depth -= 1
        if depth == 0 { openblas_set_num_threads(savedThreads) }
    }
}
