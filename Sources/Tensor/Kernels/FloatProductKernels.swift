import CQuantKernels
import Foundation

/// Float32 products over many rows through `Sources/CQuantKernels/FloatProducts.c` on AVX-512
/// CPUs: 2–8 % faster than OpenBLAS's kernel for Zen 4 on the trainer's shapes (BENCHMARKS.md,
/// session 13).
/// Columns of C are split over the cores in whole panels of 32, so each element's sum is the
/// same whatever the thread count.
public enum FloatProductKernels {
    /// The environment variable that, set to `openblas`, sends every product to OpenBLAS (for
    /// measuring one against the other).
    public static let environmentVariable = "SWIFT_GRPO_FLOAT_PRODUCTS"

    /// Whether `KernelMath.gemm` uses these kernels: the AVX-512 kernel set is chosen
    /// (`SWIFT_GRPO_KERNELS`) and `SWIFT_GRPO_FLOAT_PRODUCTS` is not `openblas`.
    public static let isEnabled: Bool = QuantizedInstructionSet.current == .avx512VNNI
        && ProcessInfo.processInfo.environment[environmentVariable]?.lowercased() != "openblas"

    /// Products of fewer multiply-adds (≈ 0.15 ms on one core) run on the calling thread.
    public static let minimumParallelWork = 8 << 20

    /// Columns of C one kernel call keeps in registers.
    private static let panelWidth = 32

    /// C[m, n] = alpha · op(A) · op(B) + beta · C (row-major, as `KernelMath.gemm`; beta 0 means C
    /// is not read), split over the cores unless `onCallingThread`. Needs `isEnabled`'s CPU.
    public static func multiply(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, onCallingThread: Bool
    ) {
        forEachColumnRange(m: m, n: n, k: k, onCallingThread: onCallingThread) { columns in
            multiplyColumns(columns, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// Whether `multiply(…, weight:…)` reads `type`'s blocks itself.
    public static func readsBlocks(of type: GGMLType) -> Bool { blockType(type) != nil }

    /// `multiply` with op(B) the quantized `weight` W: Wᵀ when `transposeB` (x·Wᵀ: n = W.rows,
    /// k = W.columns), W otherwise (dY·W: k = W.rows, n = W.columns). W's blocks are dequantized
    /// straight into the packed panels, so no Float32 copy of W exists, and C gets the same bits
    /// as `multiply` on `weight.dequantized()`. Needs `readsBlocks(of: weight.type)`.
    public static func multiply(
        transposeA: Bool, m: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        weight: QuantizedMatrix, transposeB: Bool, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
        onCallingThread: Bool
    ) {
        guard let type = blockType(weight.type) else {
            preconditionFailure("FloatProductKernels: no packing from \(weight.type) blocks")
        }
        let n = transposeB ? weight.rows : weight.columns, k = transposeB ? weight.columns : weight.rows
        let blocks = weight.bytes.baseAddress!, rowBytes = Int64(weight.bytesPerRow)
        withExtendedLifetime(weight) {
            forEachColumnRange(m: m, n: n, k: k, onCallingThread: onCallingThread) { columns in
                cqk_product_columns_from_blocks(transposeA ? 1 : 0, transposeB ? 1 : 0, Int64(m), Int64(k), alpha,
                                                a, Int64(lda), type, blocks, rowBytes, beta, c, Int64(ldc),
                                                Int64(columns.lowerBound), Int64(columns.upperBound))
            }
        }
    }

    private static func blockType(_ type: GGMLType) -> cqk_block_type? {
        switch type {
        case .q4_0: CQK_BLOCKS_Q4_0
        case .q4_1: CQK_BLOCKS_Q4_1
        case .q5_0: CQK_BLOCKS_Q5_0
        case .q5_1: CQK_BLOCKS_Q5_1
        case .q8_0: CQK_BLOCKS_Q8_0
        default: nil
        }
    }

    /// Runs `body` on column ranges of whole panels that cover 0..<n, one a thread (each reads
    /// all of A, so more pieces would read it more often), or on 0..<n on the calling thread.
    private static func forEachColumnRange(m: Int, n: Int, k: Int, onCallingThread: Bool,
                                           _ body: (Range<Int>) -> Void) {
        let panels = (n + panelWidth - 1) / panelWidth
        let minimumWork = onCallingThread ? Int.max : minimumParallelWork
        KernelWorkers.forEachChunk(of: panels, costPerItem: panelWidth * m * k, minimumWork: minimumWork,
                                   piecesPerThread: 1) { range in
            body(range.lowerBound * panelWidth ..< min(n, range.upperBound * panelWidth))
        }
    }

    /// Columns `columns` of `multiply`'s C, on the calling thread. Every element gets the same
    /// bits whatever range it is computed in.
    public static func multiplyColumns(
        _ columns: Range<Int>, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(columns.lowerBound >= 0 && columns.upperBound <= n && k > 0,
                     "FloatProductKernels: columns \(columns) outside 0..<\(n), or k = \(k) < 1")
        cqk_product_columns(transposeA ? 1 : 0, transposeB ? 1 : 0, Int64(m), Int64(n), Int64(k), alpha,
                            a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc),
                            Int64(columns.lowerBound), Int64(columns.upperBound))
    }
}
