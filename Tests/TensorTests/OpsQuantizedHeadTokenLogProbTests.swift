import Tensor
import XCTest

/// The token log-prob ops over a quantized head (one vocabulary tile at a time inside the tiled
/// loop: read by the products from its blocks, or dequantized) against the same ops over the
/// whole dequantized table: the same tiles, the same products and sums.
final class OpsQuantizedHeadTokenLogProbTests: XCTestCase {
    private func matrix(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) -> QuantizedMatrix {
        QuantizedMatrix.random(type, rows: rows, columns: columns, seed: seed, deviation: 0.3)
    }

    /// [type, rows, vocabulary, dim, options]: partial last tiles, several row chunks, soft-cap.
    private let cases: [(GGMLType, Int, Int, Int, TokenLogProbOptions)] = [
        (.q8_0, 9, 301, 64, TokenLogProbOptions(chunkColumns: 64)),
        (.q4_1, 13, 250, 96, TokenLogProbOptions(temperature: 0.9, chunkRows: 5, chunkColumns: 37)),
        (.q8_0, 6, 1000, 32, TokenLogProbOptions(logitScale: 1.2, softCap: 3, temperature: 0.7, chunkColumns: 128)),
        (.q4_1, 4, 777, 64, TokenLogProbOptions()),
        // A last row chunk of one row (its products take a dequantized tile), Q4_0 blocks.
        (.q4_0, 11, 300, 64, TokenLogProbOptions(chunkRows: 5, chunkColumns: 96)),
    ]

    func testFrozenHeadEqualsTheDequantizedTable() {
        for (index, (type, rows, vocabulary, dim, options)) in cases.enumerated() {
            let weight = matrix(type, rows: vocabulary, columns: dim, seed: UInt64(index))
            let table = weight.dequantized()
            let hidden = OpsGradientCheck.randomTensor([rows, dim], seed: 900 + UInt64(index))
            let targets = (0..<rows).map { $0 == 2 ? -1 : ($0 * 37 + index) % vocabulary }
            let upstream = OpsGradientCheck.randomTensor([rows], seed: 950 + UInt64(index))
            hidden.requiresGrad = true
            let whole = frozenHeadTokenLogProbs(hidden: hidden, weight: table, targets: targets, options: options,
                                                computeEntropy: true)
            whole.logProbs.backward(upstream)
            let wholeGradient = hidden.grad!.scalars
            hidden.zeroGradient()
            let tiled = frozenHeadTokenLogProbs(hidden: hidden, weight: weight, targets: targets, options: options,
                                                computeEntropy: true)
            tiled.logProbs.backward(upstream)
            XCTAssertEqual(tiled.logProbs.scalars, whole.logProbs.scalars, "case \(index)")
            XCTAssertEqual(tiled.logSumExp.scalars, whole.logSumExp.scalars, "case \(index)")
            XCTAssertEqual(tiled.entropy!.scalars, whole.entropy!.scalars, "case \(index)")
            XCTAssertEqual(hidden.grad!.scalars, wholeGradient, "case \(index)")
            XCTAssertGreaterThan(wholeGradient.map(abs).max() ?? 0, 1e-3)
        }
    }

    func testPlainOpEqualsTheDequantizedTable() {
        for (index, (type, rows, vocabulary, dim, options)) in cases.enumerated() {
            let weight = matrix(type, rows: vocabulary, columns: dim, seed: 10 + UInt64(index))
            let table = weight.dequantized()
            let hidden = OpsGradientCheck.randomTensor([rows, dim], seed: 980 + UInt64(index))
            let targets = (0..<rows).map { ($0 * 53 + index) % vocabulary }
            let upstream = OpsGradientCheck.randomTensor([rows], seed: 990 + UInt64(index))
            hidden.requiresGrad = true
            let whole = tokenLogProbs(hidden: hidden, weight: table, targets: targets, options: options)
            whole.logProbs.backward(upstream)
            let wholeGradient = hidden.grad!.scalars
            hidden.zeroGradient()
            let tiled = tokenLogProbs(hidden: hidden, weight: weight, targets: targets, options: options)
            tiled.logProbs.backward(upstream)
            XCTAssertEqual(tiled.logProbs.scalars, whole.logProbs.scalars, "case \(index)")
            XCTAssertEqual(hidden.grad!.scalars, wholeGradient, "case \(index)")
            // Without a graph too (the reference pass).
            let values = Autograd.noGrad { frozenHeadTokenLogProbs(hidden: hidden, weight: weight, targets: targets, options: options) }
            XCTAssertEqual(values.logProbs.scalars, whole.logProbs.scalars)
        }
    }
}
