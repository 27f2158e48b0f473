import Tensor
import XCTest

/// The quantized matrix product against dequantize-then-Float32, for every type it supports.
final class OpsQuantizedLinearTests: XCTestCase {
    /// Random blocks of `type` for a [rows, columns] matrix, quantized from normal values with
    /// ggml's reference rounding (so scales and minimums are realistic).
    private func randomMatrix(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) -> QuantizedMatrix {
        var random = RandomStream(seed: seed)
        let values = (0..<(rows * columns)).map { _ in random.nextNormal() * 0.05 }
        var bytes = [UInt8](repeating: 0, count: type.byteCount(elements: rows * columns))
        values.withUnsafeBufferPointer { input in
            bytes.withUnsafeMutableBytes { _ = Quantizer.quantize(type, from: input.baseAddress!, count: input.count, into: $0.baseAddress!) }
        }
        return bytes.withUnsafeBytes { QuantizedMatrix(type: type, rows: rows, columns: columns, copying: $0)! }
    }

    private func dequantized(_ matrix: QuantizedMatrix) -> Tensor {
        let out = Tensor(zeros: matrix.shape)
        out.withUnsafeMutableBufferPointer { values in
            _ = Dequantizer.dequantize(matrix.type, from: matrix.bytes.baseAddress!, count: values.count,
                                       into: values.baseAddress!)
        }
        return out
    }

    private func randomInput(rows: Int, columns: Int, seed: UInt64) -> Tensor {
        var random = RandomStream(seed: seed)
        return Tensor(shape: [rows, columns], scalars: (0..<(rows * columns)).map { _ in random.nextNormal() })
    }

    func testMatchesDequantizedFloat32ProductForEveryTypeAndShape() {
        // Rows of x (1 = decode step), then [out, in] shapes: one block, an odd number of output
        // features (uneven split across workers), and SmolLM2's projections.
        let shapes = [(1, 1, 32), (3, 7, 96), (8, 33, 64), (1, 576, 576), (5, 192, 576), (2, 576, 1536)]
        for type in quantizedLinearTypes {
            for (index, (rows, outFeatures, inFeatures)) in shapes.enumerated() {
                let matrix = randomMatrix(type, rows: outFeatures, columns: inFeatures, seed: UInt64(index))
                let x = randomInput(rows: rows, columns: inFeatures, seed: 100 + UInt64(index))
                let expected = linear(x, weight: dequantized(matrix)).scalars
                let actual = quantizedLinear(x, weight: matrix)
                XCTAssertEqual(actual.shape, [rows, outFeatures])
                for (a, e) in zip(actual.scalars, expected) {
                    // Only the order of the sums differs.
                    XCTAssertEqual(a, e, accuracy: 1e-5 * Float(inFeatures).squareRoot() * max(1, abs(e)),
                                   "\(type) x[\(rows), \(inFeatures)] · W[\(outFeatures), \(inFeatures)]ᵀ")
                }
            }
        }
    }

    func testEachRowOfABatchEqualsTheRowAloneBitForBit() {
        for type in quantizedLinearTypes {
            let matrix = randomMatrix(type, rows: 77, columns: 160, seed: 7)
            let x = randomInput(rows: 6, columns: 160, seed: 8)
            let batch = quantizedLinear(x, weight: matrix).scalars
            for row in 0..<6 {
                let alone = quantizedLinear(x.rows(row..<(row + 1)), weight: matrix).scalars
                XCTAssertEqual(Array(batch[(row * 77)..<((row + 1) * 77)]), alone, "\(type) row \(row)")
            }
        }
    }

    func testThreadCountDoesNotChangeTheResult() {
        let saved = Parallel.threadCount
        defer { Parallel.setThreadCount(saved) }
        let matrix = randomMatrix(.q4_1, rows: 1000, columns: 576, seed: 9)
        let x = randomInput(rows: 1, columns: 576, seed: 10)
        Parallel.setThreadCount(1)
        let serial = quantizedLinear(x, weight: matrix).scalars
        Parallel.setThreadCount(2)
        XCTAssertEqual(quantizedLinear(x, weight: matrix).scalars, serial)
    }

    func testBlockDecodingEqualsTheDequantizerBitForBit() {
        // Random bytes, scales included (finite halves only, subnormals allowed).
        var random = RandomStream(seed: 11)
        func check<Block: VectorDecodableBlock>(_: Block.Type, scaleOffsets: [Int]) {
            for _ in 0..<200 {
                var block = (0..<Block.type.typeSize).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                for offset in scaleOffsets { block[offset + 1] &= 0x7B }  // exponent < 31: finite
                var expected = [Float](repeating: 0, count: 32)
                block.withUnsafeBytes { Block.dequantize(block: $0.baseAddress!, into: &expected) }
                let decoded = block.withUnsafeBytes { Block.decode($0.baseAddress!, halves: HalfTable.floats) }
                let actual = (0..<16).map { decoded.low[$0] } + (0..<16).map { decoded.high[$0] }
                XCTAssertEqual(actual.map(\.bitPattern), expected.map(\.bitPattern), "\(Block.type)")
            }
        }
        check(BlockQ4_0.self, scaleOffsets: [0])
        check(BlockQ4_1.self, scaleOffsets: [0, 2])
        check(BlockQ8_0.self, scaleOffsets: [0])
    }

    func testUnsupportedTypesAndMismatchedSizesAreRefused() {
        let bytes = [UInt8](repeating: 0, count: 144)
        bytes.withUnsafeBytes { raw in
            XCTAssertNil(QuantizedMatrix(type: .q4_K, rows: 1, columns: 256, copying: raw))
            XCTAssertNil(QuantizedMatrix(type: .q8_0, rows: 1, columns: 48, copying: raw))
            XCTAssertNil(QuantizedMatrix(type: .q8_0, rows: 2, columns: 32, copying: raw))
        }
        XCTAssertFalse(QuantizedMatrix.supports(.f32, columns: 32))
    }
}
