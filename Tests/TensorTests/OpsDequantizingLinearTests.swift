import Tensor
import XCTest

/// `linear(_:dequantizing:)` (a tile of W dequantized at a time for sgemm) against `linear` over
/// the whole dequantized matrix: forward and input gradient, for several types, row counts
/// (sgemv's one row included) and output counts that leave a partial last tile. Every output
/// is one sgemm dot product over the whole shared dimension in both, but OpenBLAS's kernels
/// for a narrower product (and one thread instead of two) may order that sum differently:
/// they agree to Float32 rounding of the sum, not bit for bit.
final class OpsDequantizingLinearTests: XCTestCase {
    private func input(rows: Int, columns: Int, seed: UInt64) -> Tensor {
        var random = RandomStream(seed: seed)
        return Tensor(shape: [rows, columns], scalars: (0..<(rows * columns)).map { _ in random.nextNormal() })
    }

    /// [type, x rows, W rows (out), W columns (in)].
    private let cases: [(GGMLType, Int, Int, Int)] = [
        (.q4_1, 1, 576, 576), (.q4_1, 9, 1536, 576), (.q4_1, 37, 576, 1536), (.q8_0, 12, 1000, 64),
        (.q4_0, 3, 7, 96), (.q5_0, 20, 301, 128), (.q6_K, 10, 130, 512), (.q4_K, 2, 250, 256),
    ]

    func testForwardEqualsOneSgemmOverTheDequantizedMatrix() {
        for (index, (type, rows, out, inFeatures)) in cases.enumerated() {
            let weight = QuantizedMatrix.random(type, rows: out, columns: inFeatures, seed: UInt64(index))
            let x = input(rows: rows, columns: inFeatures, seed: 50 + UInt64(index))
            let dense = weight.dequantized()
            let expected = linear(x, weight: dense)
            let actual = linear(x, dequantizing: weight)
            XCTAssertEqual(actual.shape, [rows, out])
            // Scale of each sum: Σ|w·x| over its terms.
            let magnitudes = linear(absolute(x), weight: absolute(dense))
            assertClose(actual.scalars, expected.scalars, magnitudes: magnitudes.scalars,
                        "\(type) x[\(rows), \(inFeatures)] · W[\(out), \(inFeatures)]ᵀ")
        }
    }

    func testInputGradientEqualsTheDenseBackward() {
        for (index, (type, rows, out, inFeatures)) in cases.enumerated() {
            let weight = QuantizedMatrix.random(type, rows: out, columns: inFeatures, seed: UInt64(index))
            let upstream = input(rows: rows, columns: out, seed: 90 + UInt64(index))
            func inputGradient(_ product: (Tensor) -> Tensor) -> [Float] {
                let x = input(rows: rows, columns: inFeatures, seed: 50 + UInt64(index))
                x.requiresGrad = true
                (product(x) * upstream).sum().backward()
                return x.grad?.scalars ?? []
            }
            let dense = weight.dequantized()
            let expected = inputGradient { linear($0, weight: dense) }
            let magnitudes = Tensor.matmul(absolute(upstream), absolute(dense))
            assertClose(inputGradient { linear($0, dequantizing: weight) }, expected, magnitudes: magnitudes.scalars,
                        "d x: \(type) [\(rows), \(out), \(inFeatures)]")
            XCTAssertNil(dense.grad)
        }
    }

    private func absolute(_ tensor: Tensor) -> Tensor {
        Tensor(shape: tensor.shape, scalars: tensor.scalars.map { Swift.abs($0) })
    }

    /// Each value within 1e-6 of its sum's scale (Float32 rounding of sums of up to 1536 terms).
    private func assertClose(_ actual: [Float], _ expected: [Float], magnitudes: [Float], _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        var worst = 0.0
        for i in 0..<min(actual.count, expected.count) {
            worst = max(worst, Double(abs(actual[i] - expected[i])) / Double(max(magnitudes[i], 1e-12)))
        }
        XCTAssertLessThanOrEqual(worst, 1e-6, "\(label): largest difference relative to Σ|terms|", file: file, line: line)
    }

    func testColumnsAndRowsDequantizeAsTheWholeMatrix() {
        let weight = QuantizedMatrix.random(.q5_1, rows: 5, columns: 160, seed: 7)
        let whole = weight.dequantized().scalars
        var columns = [Float](repeating: 0, count: 5 * 64)
        columns.withUnsafeMutableBufferPointer { weight.dequantizeColumns(64..<128, into: $0.baseAddress!, stride: 64) }
        for row in 0..<5 {
            XCTAssertEqual(Array(columns[(row * 64)..<(row * 64 + 64)]), Array(whole[(row * 160 + 64)..<(row * 160 + 128)]))
        }
        let rows = embedding([4, 0, 4], table: weight)
        XCTAssertEqual(rows.shape, [3, 160])
        XCTAssertEqual(rows.scalars, Array(whole[640..<800]) + Array(whole[0..<160]) + Array(whole[640..<800]))
    }
}
