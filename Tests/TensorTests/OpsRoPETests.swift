import Foundation
import Tensor
import XCTest

final class OpsRoPETests: XCTestCase {
    func testRotationOfOnePairMatchesDefinition() {
        let table = RoPETable(rotaryDim: 2, maxPositions: 4, base: 10_000)
        let x = Tensor(shape: [1, 2], scalars: [1, 2])
        let y = rotaryEmbedding(x, table: table, positions: [1], heads: 1).scalars
        // θ = 1·10000^0 = 1 radian.
        XCTAssertLessThan(OpsGradientCheck.maxDifference(y, [cos(1) - 2 * sin(1), 2 * cos(1) + sin(1)]), 1e-6)
    }

    func testPartialRotaryLeavesTrailingDimsAndKeepsNorms() {
        let table = RoPETable(rotaryDim: 4, maxPositions: 16, base: 100)
        let x = OpsGradientCheck.randomTensor([3, 2 * 6], seed: 20)
        let y = rotaryEmbedding(x, table: table, positions: [5, 9, 15], heads: 2).scalars
        let xs = x.scalars
        for row in 0..<3 {
            for head in 0..<2 {
                let start = row * 12 + head * 6
                XCTAssertEqual(Array(y[(start + 4)..<(start + 6)]), Array(xs[(start + 4)..<(start + 6)]))
                let before = xs[start..<(start + 4)].map { $0 * $0 }.reduce(0, +)
                let after = y[start..<(start + 4)].map { $0 * $0 }.reduce(0, +)
                XCTAssertEqual(before, after, accuracy: 1e-4)
            }
        }
    }

    func testAdjacentPairsOnPermutedRowsEqualRotateHalf() {
        // GGUF layout puts HF pair (i, i + d/2) at (2i, 2i + 1).
        let dim = 8, half = 4
        let table = RoPETable(rotaryDim: dim, maxPositions: 8, base: 10_000)
        let x = OpsGradientCheck.randomTensor([2, dim], seed: 21)
        func permuted(_ values: [Float]) -> [Float] {
            var out = values
            for row in 0..<2 {
                for i in 0..<half {
                    out[row * dim + 2 * i] = values[row * dim + i]
                    out[row * dim + 2 * i + 1] = values[row * dim + i + half]
                }
            }
            return out
        }
        let hf = rotaryEmbedding(x, table: table, positions: [3, 7], heads: 1, pairing: .rotateHalf).scalars
        let gguf = rotaryEmbedding(Tensor(shape: [2, dim], scalars: permuted(x.scalars)), table: table,
                                   positions: [3, 7], heads: 1, pairing: .adjacentPairs).scalars
        XCTAssertLessThan(OpsGradientCheck.maxDifference(gguf, permuted(hf)), 1e-6)
    }

    /// Heads of 64 rotate their halves 16 pairs at a time; adjacent pairs go one pair at a time
    /// with the same products and sums, so the two agree bit for bit, forward and backward.
    func testVectorRotateHalfGivesTheBitsOfOnePairAtATime() {
        let dim = 64, half = 32, heads = 2, rows = 3
        let table = RoPETable(rotaryDim: dim, maxPositions: 64, base: 10_000)
        func permuted(_ values: [Float]) -> [Float] {
            var out = values
            for head in 0..<(rows * heads) {
                for i in 0..<half {
                    out[head * dim + 2 * i] = values[head * dim + i]
                    out[head * dim + 2 * i + 1] = values[head * dim + i + half]
                }
            }
            return out
        }
        let x = OpsGradientCheck.randomTensor([rows, heads * dim], seed: 23)
        let upstream = OpsGradientCheck.randomTensor([rows, heads * dim], seed: 24)
        let xPermuted = Tensor(shape: x.shape, scalars: permuted(x.scalars))
        x.requiresGrad = true
        xPermuted.requiresGrad = true
        let hf = rotaryEmbedding(x, table: table, positions: [0, 17, 63], heads: heads, pairing: .rotateHalf)
        let gguf = rotaryEmbedding(xPermuted, table: table, positions: [0, 17, 63], heads: heads, pairing: .adjacentPairs)
        (hf * upstream).sum().backward()
        (gguf * Tensor(shape: upstream.shape, scalars: permuted(upstream.scalars))).sum().backward()
        XCTAssertEqual(gguf.scalars.map(\.bitPattern), permuted(hf.scalars).map(\.bitPattern))
        XCTAssertEqual(xPermuted.grad!.scalars.map(\.bitPattern), permuted(x.grad!.scalars).map(\.bitPattern))
    }

    func testPositionsPerRowMatchAFullSequence() {
        let table = RoPETable(rotaryDim: 8, maxPositions: 32, base: 10_000)
        let full = OpsGradientCheck.randomTensor([6, 16], seed: 22)
        let rotated = rotaryEmbedding(full, table: table, positions: Array(0..<6), heads: 2).scalars
        let tail = Tensor(shape: [2, 16], scalars: Array(full.scalars[64..<96]))
        let decoded = rotaryEmbedding(tail, table: table, positions: [4, 5], heads: 2).scalars
        XCTAssertEqual(decoded, Array(rotated[64..<96]))
    }

    func testRowsFilledOutOfOrderRotateByTheDefinition() {
        // A far position first (rows up to its block are filled at once), then others.
        let table = RoPETable(rotaryDim: 4, maxPositions: 5000, base: 10_000)
        let frequencies = RoPETable.inverseFrequencies(rotaryDim: 4, base: 10_000, scaling: .none)
        let x = Tensor(shape: [2, 4], scalars: [1, 0, 0, 0, 0, 1, 0, 0])
        for positions in [[4999, 3], [700, 4321]] {
            let y = rotaryEmbedding(x, table: table, positions: positions, heads: 1).scalars
            for (row, position) in positions.enumerated() {
                // Pair (i, i + 2) of row i: a unit vector on its first member turns to (cos θ_i, sin θ_i).
                let angle = Double(Float(position) * frequencies[row])
                XCTAssertEqual(y[row * 4 + row], Float(cos(angle)))
                XCTAssertEqual(y[row * 4 + row + 2], Float(sin(angle)))
            }
        }
    }

    func testScaledFrequencies() {
        let raw = RoPETable.inverseFrequencies(rotaryDim: 128, base: 500_000, scaling: .none)
        let linear = RoPETable.inverseFrequencies(rotaryDim: 128, base: 500_000, scaling: .linear(factor: 4))
        XCTAssertLessThan(OpsGradientCheck.maxDifference(linear, raw.map { $0 / 4 }), 1e-12)
        // Llama 3.1: factor 8, low 1, high 4, original 8192 (values from transformers'
        // _compute_llama3_parameters for indices 0, 20, 63).
        let llama3 = RoPETable.inverseFrequencies(
            rotaryDim: 128, base: 500_000,
            scaling: .llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalMaxPositions: 8192))
        XCTAssertEqual(llama3[0], 1, accuracy: 1e-7)
        XCTAssertEqual(llama3[20] / raw[20], 1, accuracy: 1e-6)
        XCTAssertEqual(llama3[63] / raw[63], 1 / 8, accuracy: 1e-6)
        // A middle frequency is blended: wavelength between 2048 and 8192.
        let middle = (0..<64).first { i in let w = 2 * Float.pi / raw[i]; return w > 2048 && w < 8192 }!
        let wavelength = 2 * Float.pi / raw[middle]
        let smooth = (8192 / wavelength - 1) / (4 - 1)
        XCTAssertEqual(llama3[middle], (1 - smooth) * raw[middle] / 8 + smooth * raw[middle], accuracy: 1e-9)
        XCTAssertLessThan(llama3[middle], raw[middle])
        XCTAssertGreaterThan(llama3[middle], raw[middle] / 8)
    }

    func testFrequencyFactorsScaleFrequenciesAndMagnitude() {
        let table = RoPETable(rotaryDim: 2, maxPositions: 4, base: 10_000,
                              scaling: .frequencyFactors([2], attentionFactor: 1.5))
        let y = rotaryEmbedding(Tensor(shape: [1, 2], scalars: [1, 0]), table: table, positions: [3], heads: 1).scalars
        // θ = 3 / 2; HF multiplies both cos and sin by the attention factor.
        XCTAssertLessThan(OpsGradientCheck.maxDifference(y, [1.5 * cos(1.5), 1.5 * sin(1.5)]), 1e-6)
    }

    func testRoPEGradients() {
        let x = OpsGradientCheck.randomTensor([3, 2 * 8], seed: 23)
        let full = RoPETable(rotaryDim: 8, maxPositions: 16, base: 10_000)
        let partial = RoPETable(rotaryDim: 4, maxPositions: 16, base: 10_000, scaling: .linear(factor: 2))
        let scaled = RoPETable(rotaryDim: 8, maxPositions: 16, base: 10_000, scaling:
            .llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalMaxPositions: 8))
        let longRoPE = RoPETable(rotaryDim: 4, maxPositions: 16, base: 10_000,
                                 scaling: .frequencyFactors([1, 2.5], attentionFactor: 1.2))
        for table in [full, partial, scaled, longRoPE] {
            for pairing in [RoPEPairing.rotateHalf, .adjacentPairs] {
                OpsGradientCheck.check([x]) {
                    rotaryEmbedding(x, table: table, positions: [2, 9, 15], heads: 2, pairing: pairing)
                }
            }
        }
    }
}
