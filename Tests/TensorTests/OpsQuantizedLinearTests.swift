import Tensor
import XCTest

/// The integer quantized matrix product against dequantize-then-multiply, for every type it
/// supports, shapes with odd sizes and 1–8 input rows, and every instruction set this CPU runs.
final class OpsQuantizedLinearTests: XCTestCase {
    /// Blocks of `type` for a [rows, columns] matrix: quantized from normal values with ggml's
    /// reference rounding where this build can write the type, else random bytes with realistic
    /// scales (every code pattern of the K-quants occurs).
    private func randomMatrix(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64) -> QuantizedMatrix {
        var random = RandomStream(seed: seed)
        var bytes = [UInt8](repeating: 0, count: type.byteCount(elements: rows * columns))
        if Quantizer.supports(type) {
            let values = (0..<(rows * columns)).map { _ in random.nextNormal() * 0.05 }
            values.withUnsafeBufferPointer { input in
                bytes.withUnsafeMutableBytes { _ = Quantizer.quantize(type, from: input.baseAddress!, count: input.count, into: $0.baseAddress!) }
            }
        } else {
            for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: random.next()) }
            // The scales: d (and dmin) small positive halves.
            let scaleOffsets: [Int] = type == .q6_K ? [208] : [0, 2]
            for block in 0..<(bytes.count / type.typeSize) {
                for offset in scaleOffsets {
                    let scale = Float16(0.0005 + 0.002 * random.nextUniform()).bitPattern
                    bytes[block * type.typeSize + offset] = UInt8(scale & 0xFF)
                    bytes[block * type.typeSize + offset + 1] = UInt8(scale >> 8)
                }
            }
        }
        return bytes.withUnsafeBytes { QuantizedMatrix(type: type, rows: rows, columns: columns, copying: $0)! }
    }

    private func dequantized(_ matrix: QuantizedMatrix) -> [Float] {
        var values = [Float](repeating: 0, count: matrix.rows * matrix.columns)
        values.withUnsafeMutableBufferPointer {
            _ = Dequantizer.dequantize(matrix.type, from: matrix.bytes.baseAddress!, count: $0.count, into: $0.baseAddress!)
        }
        return values
    }

    private func randomInput(rows: Int, columns: Int, seed: UInt64) -> Tensor {
        var random = RandomStream(seed: seed)
        // A few large values, as activations have.
        return Tensor(shape: [rows, columns], scalars: (0..<(rows * columns)).map { i in
            random.nextNormal() * (i % 97 == 5 ? 20 : 1)
        })
    }

    /// [rows, out, in]: one block, odd output counts (uneven splits across workers), 1–8 rows,
    /// SmolLM2's projection shapes.
    private func shapes(for type: GGMLType) -> [(Int, Int, Int)] {
        let block = type.blockSize
        var shapes = [(1, 1, block), (3, 7, 3 * block), (2, 130, 6 * block), (5, 3, block)]
        shapes += (1...8).map { ($0, 33, 2 * block) }
        // More rows than one pass of the wide kernels takes (4), and 16-row groups cut short.
        shapes += [(9, 17, 3 * block), (33, 40, block)]
        if block == 32 { shapes += [(1, 576, 576), (5, 192, 576), (2, 576, 1536)] }
        return shapes
    }

    func testEqualsTheProductOfDequantizedWeightsAndQuantizedActivations() {
        for instructionSet in QuantizedInstructionSet.available {
            for type in quantizedLinearTypes {
                for (index, (rows, outFeatures, inFeatures)) in shapes(for: type).enumerated() {
                    let matrix = randomMatrix(type, rows: outFeatures, columns: inFeatures, seed: UInt64(index))
                    let x = randomInput(rows: rows, columns: inFeatures, seed: 100 + UInt64(index))
                    let xq = x.withUnsafeBufferPointer {
                        QuantizedActivations(type: type, rows: rows, columns: inFeatures, from: $0.baseAddress!).dequantized
                    }
                    let w = dequantized(matrix)
                    let actual = quantizedLinear(x, weight: matrix, instructionSet: instructionSet)
                    XCTAssertEqual(actual.shape, [rows, outFeatures])
                    let values = actual.scalars
                    for row in 0..<rows {
                        for feature in 0..<outFeatures {
                            var exact = 0.0, magnitude = 0.0
                            for i in 0..<inFeatures {
                                let term = Double(w[feature * inFeatures + i]) * Double(xq[row * inFeatures + i])
                                exact += term
                                magnitude += abs(term)
                            }
                            // Integer sums are exact; only the Float32 scaling per block rounds.
                            XCTAssertEqual(Double(values[row * outFeatures + feature]), exact, accuracy: 1e-5 * magnitude + 1e-6,
                                           "\(instructionSet) \(type) x[\(rows), \(inFeatures)] · W[\(outFeatures), \(inFeatures)]ᵀ row \(row) feature \(feature)")
                        }
                    }
                }
            }
        }
    }

    func testActivationsAreRoundedToHalfAStepOfTheirBlockScale() {
        for type in [GGMLType.q4_1, .q6_K] {
            let columns = 2 * type.blockSize
            let x = randomInput(rows: 2, columns: columns, seed: 3).scalars
            let xq = x.withUnsafeBufferPointer {
                QuantizedActivations(type: type, rows: 2, columns: columns, from: $0.baseAddress!).dequantized
            }
            for start in stride(from: 0, to: x.count, by: type.blockSize) {
                let block = start ..< start + type.blockSize
                let step = block.map { abs(x[$0]) }.max()! / 127
                for i in block {
                    XCTAssertEqual(xq[i], x[i], accuracy: step / 2 * 1.0001 + 1e-12, "\(type) value \(i)")
                }
            }
        }
    }

    func testEveryInstructionSetQuantizesActivationsToTheSameValues() {
        var values = randomInput(rows: 3, columns: 512, seed: 31).scalars
        values[7] = .nan
        values[300] = .infinity
        values[700] = -.infinity
        for i in 1024..<1100 { values[i] = 0 }
        values[1101] = 1e30
        for type in [GGMLType.q4_1, .q8_0, .q4_K, .q6_K] {
            let quantized = { (instructionSet: QuantizedInstructionSet) in
                values.withUnsafeBufferPointer {
                    QuantizedActivations(type: type, rows: 3, columns: 512, from: $0.baseAddress!,
                                         instructionSet: instructionSet).dequantized.map(\.bitPattern)
                }
            }
            let portable = quantized(.portable)
            for instructionSet in QuantizedInstructionSet.available {
                XCTAssertEqual(quantized(instructionSet), portable, "\(instructionSet) \(type)")
            }
        }
    }

    func testEveryInstructionSetGivesTheSameResultUpToRounding() {
        for type in quantizedLinearTypes {
            let matrix = randomMatrix(type, rows: 45, columns: 4 * type.blockSize, seed: 21)
            let x = randomInput(rows: 3, columns: 4 * type.blockSize, seed: 22)
            let portable = quantizedLinear(x, weight: matrix, instructionSet: .portable).scalars
            for instructionSet in QuantizedInstructionSet.available {
                let other = quantizedLinear(x, weight: matrix, instructionSet: instructionSet).scalars
                for (a, b) in zip(other, portable) {
                    XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b)), "\(instructionSet) \(type)")
                }
            }
        }
    }

    func testEachRowOfABatchEqualsTheRowAloneBitForBit() {
        for instructionSet in QuantizedInstructionSet.available {
            for type in quantizedLinearTypes {
                let columns = type.blockSize == 32 ? 160 : 512
                let matrix = randomMatrix(type, rows: 77, columns: columns, seed: 7)
                let x = randomInput(rows: 6, columns: columns, seed: 8)
                let batch = quantizedLinear(x, weight: matrix, instructionSet: instructionSet).scalars
                for row in 0..<6 {
                    let alone = quantizedLinear(x.rows(row..<(row + 1)), weight: matrix, instructionSet: instructionSet).scalars
                    XCTAssertEqual(Array(batch[(row * 77)..<((row + 1) * 77)]), alone, "\(instructionSet) \(type) row \(row)")
                }
            }
        }
    }

    func testRowsOfALargeBatchAndAnyFeatureRangeGiveTheSameBits() {
        let saved = Parallel.threadCount
        defer { Parallel.setThreadCount(saved) }
        for instructionSet in QuantizedInstructionSet.available {
            for type in quantizedLinearTypes {
                let columns = type.blockSize == 32 ? 96 : 512
                let matrix = randomMatrix(type, rows: 203, columns: columns, seed: 11)
                let x = randomInput(rows: 37, columns: columns, seed: 12)
                Parallel.setThreadCount(1)
                let serial = quantizedLinear(x, weight: matrix, instructionSet: instructionSet).scalars
                Parallel.setThreadCount(2)
                let batch = quantizedLinear(x, weight: matrix, instructionSet: instructionSet).scalars
                XCTAssertEqual(batch, serial, "\(instructionSet) \(type): one thread and two differ")
                for row in [0, 5, 36] {
                    let alone = quantizedLinear(x.rows(row..<(row + 1)), weight: matrix, instructionSet: instructionSet).scalars
                    XCTAssertEqual(Array(batch[(row * 203)..<((row + 1) * 203)]), alone, "\(instructionSet) \(type) row \(row)")
                }
            }
        }
    }

    func testAnInterleavedCopyGivesTheSameBitsAndCanBeDropped() throws {
        let saved = Parallel.threadCount
        defer { Parallel.setThreadCount(saved) }
        let types = quantizedLinearTypes.filter { $0.blockSize == 32 }
        for type in types {
            // 16-row groups cut short (45 = 2 · 16 + 13), one block, and a projection's shape.
            for (index, (rows, outFeatures, inFeatures)) in [(3, 45, 96), (1, 7, 32), (4, 576, 576), (9, 33, 64)].enumerated() {
                let matrix = randomMatrix(type, rows: outFeatures, columns: inFeatures, seed: 40 + UInt64(index))
                let x = randomInput(rows: rows, columns: inFeatures, seed: 50 + UInt64(index))
                guard matrix.canInterleave else {
                    XCTAssertEqual(matrix.interleavedByteCount, 0)
                    continue
                }
                let stored = quantizedLinear(x, weight: matrix).scalars
                matrix.keepInterleavedCopy(true)
                let copy = try XCTUnwrap(matrix.interleavedCopy, "\(type)")
                XCTAssertEqual(copy.byteCount, matrix.interleavedByteCount)
                for threads in [1, 2] {
                    Parallel.setThreadCount(threads)
                    XCTAssertEqual(quantizedLinear(x, weight: matrix).scalars, stored,
                                   "\(type) x[\(rows), \(inFeatures)] · W[\(outFeatures), \(inFeatures)]ᵀ, \(threads) threads")
                }
                // The other instruction sets ignore the copy.
                XCTAssertEqual(quantizedLinear(x, weight: matrix, instructionSet: .portable).scalars,
                               { matrix.keepInterleavedCopy(false); return quantizedLinear(x, weight: matrix, instructionSet: .portable).scalars }())
                XCTAssertNil(matrix.interleavedCopy)
            }
        }
        // Types without an interleaved form keep none.
        let kQuant = randomMatrix(.q4_K, rows: 16, columns: 256, seed: 60)
        kQuant.keepInterleavedCopy(true)
        XCTAssertNil(kQuant.interleavedCopy)
        XCTAssertEqual(kQuant.interleavedByteCount, 0)
    }

    func testThreadCountDoesNotChangeTheResult() {
        let saved = Parallel.threadCount
        defer { Parallel.setThreadCount(saved) }
        let matrix = randomMatrix(.q4_1, rows: 4000, columns: 576, seed: 9)
        let x = randomInput(rows: 1, columns: 576, seed: 10)
        Parallel.setThreadCount(1)
        let serial = quantizedLinear(x, weight: matrix).scalars
        Parallel.setThreadCount(2)
        XCTAssertEqual(quantizedLinear(x, weight: matrix).scalars, serial)
    }

    func testTheEnvironmentVariableChoosesTheInstructionSet() {
        XCTAssertEqual(QuantizedInstructionSet.available.first, .portable)
        XCTAssertEqual(QuantizedInstructionSet.chosen(byEnvironmentValue: "portable"), .portable)
        XCTAssertEqual(QuantizedInstructionSet.chosen(byEnvironmentValue: "PORTABLE"), .portable)
        XCTAssertEqual(QuantizedInstructionSet.chosen(byEnvironmentValue: nil), QuantizedInstructionSet.best)
        XCTAssertEqual(QuantizedInstructionSet.chosen(byEnvironmentValue: "sse9"), QuantizedInstructionSet.best)
        for instructionSet in QuantizedInstructionSet.available {
            XCTAssertEqual(QuantizedInstructionSet.chosen(byEnvironmentValue: instructionSet.description), instructionSet)
        }
        // This process's choice follows its environment.
        let value = ProcessInfo.processInfo.environment[QuantizedInstructionSet.environmentVariable]
        XCTAssertEqual(QuantizedInstructionSet.current, QuantizedInstructionSet.chosen(byEnvironmentValue: value))
    }

    func testUnsupportedTypesAndMismatchedSizesAreRefused() {
        let bytes = [UInt8](repeating: 0, count: 144)
        bytes.withUnsafeBytes { raw in
            XCTAssertNotNil(QuantizedMatrix(type: .q4_K, rows: 1, columns: 256, copying: raw))
            XCTAssertNil(QuantizedMatrix(type: .q4_K, rows: 1, columns: 128, copying: raw))
            XCTAssertNotNil(QuantizedMatrix(type: .q5_0, rows: 1, columns: 32, copying: UnsafeRawBufferPointer(rebasing: raw[0..<22])))
            XCTAssertNil(QuantizedMatrix(type: .q5_0, rows: 1, columns: 32, copying: UnsafeRawBufferPointer(rebasing: raw[0..<24])))
            XCTAssertNil(QuantizedMatrix(type: .f16, rows: 1, columns: 32, copying: UnsafeRawBufferPointer(rebasing: raw[0..<64])))
            XCTAssertNil(QuantizedMatrix(type: .q8_0, rows: 1, columns: 48, copying: raw))
            XCTAssertNil(QuantizedMatrix(type: .q8_0, rows: 2, columns: 32, copying: raw))
        }
        XCTAssertFalse(QuantizedMatrix.supports(.f32, columns: 32))
    }
}
