import Tensor
import XCTest

/// The AVX-512 Float32 products (`FloatProductKernels`) against sums in Double, on shapes that
/// leave partial tiles (rows not a multiple of 12, columns not of 32, an inner dimension past
/// one packed slice) and on strides the kernel copies rows for.
final class FloatProductKernelTests: XCTestCase {
    private struct Case {
        let transposeA: Bool, transposeB: Bool
        let m: Int, n: Int, k: Int
        /// Row strides as stored (at least the stored row length).
        let lda: Int, ldb: Int
        let alpha: Float, beta: Float
    }

    private let cases: [Case] = [
        Case(transposeA: false, transposeB: true, m: 37, n: 70, k: 600, lda: 600, ldb: 600, alpha: 1, beta: 0),
        Case(transposeA: false, transposeB: false, m: 25, n: 100, k: 385, lda: 385, ldb: 100, alpha: 0.5, beta: 1),
        Case(transposeA: true, transposeB: false, m: 13, n: 33, k: 45, lda: 13, ldb: 33, alpha: 1, beta: 0.25),
        Case(transposeA: true, transposeB: true, m: 12, n: 64, k: 17, lda: 12, ldb: 17, alpha: 2, beta: 1),
        // A's rows 1024 floats apart: the kernel copies them (the LM head's logits tile).
        Case(transposeA: false, transposeB: false, m: 30, n: 40, k: 300, lda: 1024, ldb: 40, alpha: 1, beta: 1),
        Case(transposeA: false, transposeB: true, m: 1, n: 5, k: 3, lda: 3, ldb: 3, alpha: 1, beta: 0),
        // Past `minimumParallelWork`: `multiply` splits the columns over the cores.
        Case(transposeA: false, transposeB: true, m: 60, n: 400, k: 400, lda: 400, ldb: 400, alpha: 1, beta: 0),
    ]

    private func requireKernels() throws {
        try XCTSkipUnless(QuantizedInstructionSet.available.contains(.avx512VNNI), "no AVX-512 on this CPU")
    }

    /// op(A)[i, p] and op(B)[p, j] read from their stored forms.
    private func expected(_ c: Case, a: [Float], b: [Float], initial: [Float]) -> (values: [Double], magnitudes: [Double]) {
        var values = [Double](repeating: 0, count: c.m * c.n), magnitudes = values
        for i in 0..<c.m {
            for j in 0..<c.n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<c.k {
                    let x = Double(c.transposeA ? a[p * c.lda + i] : a[i * c.lda + p])
                    let y = Double(c.transposeB ? b[j * c.ldb + p] : b[p * c.ldb + j])
                    sum += x * y
                    magnitude += abs(x * y)
                }
                let kept = c.beta == 0 ? 0 : Double(c.beta) * Double(initial[i * c.n + j])
                values[i * c.n + j] = Double(c.alpha) * sum + kept
                magnitudes[i * c.n + j] = abs(Double(c.alpha)) * magnitude + abs(kept)
            }
        }
        return (values, magnitudes)
    }

    private func operands(_ c: Case, seed: UInt64) -> (a: [Float], b: [Float], initial: [Float]) {
        let aCount = (c.transposeA ? c.k : c.m) * c.lda, bCount = (c.transposeB ? c.n : c.k) * c.ldb
        var initial = OpsGradientCheck.randomTensor([c.m * c.n], seed: seed + 2).scalars
        // beta 0 must not read C: NaNs there would show.
        if c.beta == 0 { initial = initial.map { _ in .nan } }
        return (OpsGradientCheck.randomTensor([aCount], seed: seed).scalars,
                OpsGradientCheck.randomTensor([bCount], seed: seed + 1).scalars, initial)
    }

    private func product(_ c: Case, a: [Float], b: [Float], initial: [Float], columns: [Range<Int>]?) -> [Float] {
        var out = initial
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { out in
                    guard let columns else {
                        return FloatProductKernels.multiply(
                            transposeA: c.transposeA, transposeB: c.transposeB, m: c.m, n: c.n, k: c.k, alpha: c.alpha,
                            a: a.baseAddress!, lda: c.lda, b: b.baseAddress!, ldb: c.ldb, beta: c.beta,
                            c: out.baseAddress!, ldc: c.n, onCallingThread: false)
                    }
                    for range in columns {
                        FloatProductKernels.multiplyColumns(
                            range, transposeA: c.transposeA, transposeB: c.transposeB, m: c.m, n: c.n, k: c.k,
                            alpha: c.alpha, a: a.baseAddress!, lda: c.lda, b: b.baseAddress!, ldb: c.ldb,
                            beta: c.beta, c: out.baseAddress!, ldc: c.n)
                    }
                }
            }
        }
        return out
    }

    func testProductsMatchSumsInDouble() throws {
        try requireKernels()
        for (index, c) in cases.enumerated() {
            let (a, b, initial) = operands(c, seed: 500 + UInt64(index) * 3)
            let reference = expected(c, a: a, b: b, initial: initial)
            let actual = product(c, a: a, b: b, initial: initial, columns: nil)
            let worst = zip(actual, zip(reference.values, reference.magnitudes))
                .map { abs(Double($0) - $1.0) / max($1.1, 1e-12) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-6, "case \(index): largest difference relative to Σ|terms|")
        }
    }

    /// Products packed straight from a quantized weight's blocks give the bits of the same
    /// product over its dequantized copy: x·Wᵀ and dY·W, slices past one packed slice, a last
    /// partial panel, whole and split over the cores, with alpha and beta.
    func testBlocksGiveTheBitsOfTheirDequantizedCopy() throws {
        try requireKernels()
        // [type, rows of A, W rows, W columns, Wᵀ, alpha, beta]
        let blockCases: [(GGMLType, Int, Int, Int, Bool, Float, Float)] = [
            (.q4_1, 37, 200, 416, true, 1, 0), (.q4_1, 25, 416, 96, false, 0.5, 1),
            (.q4_0, 13, 70, 800, true, 1, 1), (.q4_0, 12, 64, 160, false, 1, 0),
            (.q8_0, 30, 100, 64, true, 2, 0), (.q8_0, 7, 33, 128, false, 1, 0.25),
            (.q5_0, 20, 90, 448, true, 1, 0), (.q5_0, 9, 50, 96, false, 1, 1),
            (.q5_1, 14, 40, 416, true, 0.5, 0), (.q5_1, 11, 397, 64, false, 1, 0),
            // Past `minimumParallelWork`: split over the cores.
            (.q4_1, 60, 512, 512, true, 1, 0), (.q4_1, 60, 512, 512, false, 1, 1),
        ]
        for (index, (type, m, rows, columns, transposed, alpha, beta)) in blockCases.enumerated() {
            let weight = QuantizedMatrix.random(type, rows: rows, columns: columns, seed: 900 + UInt64(index))
            let dense = weight.dequantized().scalars
            let n = transposed ? rows : columns, k = transposed ? columns : rows
            let a = OpsGradientCheck.randomTensor([m * k], seed: 950 + UInt64(index)).scalars
            var initial = OpsGradientCheck.randomTensor([m * n], seed: 990 + UInt64(index)).scalars
            if beta == 0 { initial = initial.map { _ in .nan } }
            var expected = initial, actual = initial
            a.withUnsafeBufferPointer { a in
                dense.withUnsafeBufferPointer { b in
                    expected.withUnsafeMutableBufferPointer { c in
                        FloatProductKernels.multiply(
                            transposeA: false, transposeB: transposed, m: m, n: n, k: k, alpha: alpha,
                            a: a.baseAddress!, lda: k, b: b.baseAddress!, ldb: columns, beta: beta,
                            c: c.baseAddress!, ldc: n, onCallingThread: true)
                    }
                }
                actual.withUnsafeMutableBufferPointer { c in
                    FloatProductKernels.multiply(transposeA: false, m: m, alpha: alpha, a: a.baseAddress!, lda: k,
                                                 weight: weight, transposeB: transposed, beta: beta,
                                                 c: c.baseAddress!, ldc: n, onCallingThread: false)
                }
            }
            XCTAssertEqual(actual.map(\.bitPattern), expected.map(\.bitPattern),
                           "case \(index): \(type) W [\(rows), \(columns)]\(transposed ? "ᵀ" : "")")
        }
    }

    func testEveryColumnSplitGivesTheSameBits() throws {
        try requireKernels()
        for (index, c) in cases.enumerated() {
            let (a, b, initial) = operands(c, seed: 700 + UInt64(index) * 3)
            let whole = product(c, a: a, b: b, initial: initial, columns: [0..<c.n])
            let middle = min(c.n, 32)
            let split = product(c, a: a, b: b, initial: initial, columns: [middle..<c.n, 0..<middle])
            let threaded = product(c, a: a, b: b, initial: initial, columns: nil)
            XCTAssertEqual(whole.map(\.bitPattern), split.map(\.bitPattern), "case \(index): split at column \(middle)")
            XCTAssertEqual(whole.map(\.bitPattern), threaded.map(\.bitPattern), "case \(index): split over the cores")
        }
    }
}
