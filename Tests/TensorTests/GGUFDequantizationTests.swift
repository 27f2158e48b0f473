import Foundation
import Tensor
import XCTest

/// Dequantization checked against gguf-py: the shared SmolLM2 samples (real model, Q8_0/Q4_1/F32)
/// and our own fixture with every other supported type.
final class GGUFDequantizationTests: FileFormatTestCase {
    /// Every `gguf_dequant_samples` entry of logits_smollm2.json against the cached default model.
    func testDefaultModelMatchesGGUFPySamples() throws {
        let modelURL = FileTestPaths.defaultGGUF
        try XCTSkipUnless(FileManager.default.fileExists(atPath: modelURL.path), "run `make models` first")
        let fixture = try FileTestPaths.json(FileTestPaths.sharedFixtures.appendingPathComponent("logits_smollm2.json"))
        let samples = try XCTUnwrap(fixture["gguf_dequant_samples"] as? [[String: Any]])
        XCTAssertFalse(samples.isEmpty)
        let gguf = try GGUFFile(url: modelURL)
        for sample in samples {
            let name = try XCTUnwrap(sample["name"] as? String)
            let info = try gguf.requireTensorInfo(named: name)
            XCTAssertEqual(info.type.description, sample["ggml_type"] as? String, name)
            XCTAssertEqual(info.dimensions, sample["ne"] as? [Int], name)
            let values = try gguf.dequantized(info)
            let n = info.rowLength
            Self.assertClose(Array(values[0..<min(16, n)]), sample["row0_first16"], name + " row 0")
            if info.rowCount > 1 {
                Self.assertClose(Array(values[n..<n + min(16, n)]), sample["row1_first16"], name + " row 1")
            }
            Self.assertClose(Array(values.suffix(8)), sample["last_row_last8"], name + " last row")
            Self.assertSums(values, sample, name)

            // The row API gives the same numbers as the whole-tensor path.
            var row = [Float](repeating: 0, count: n)
            let last = info.rowCount - 1
            try row.withUnsafeMutableBufferPointer { try gguf.dequantizeRow(info, row: last, into: $0) }
            XCTAssertEqual(row, Array(values[(last * n)..<(last * n + n)]), name)
        }
        let embedding = try gguf.tensor(named: "token_embd.weight")
        XCTAssertEqual(embedding.shape, [49152, 576])
    }

    /// Every case of Tests/Fixtures/gguf_quant_samples.json (made with gguf-py's quantize).
    func testEveryQuantTypeMatchesGGUFPy() throws {
        let fixture = try FileTestPaths.json(FileTestPaths.packageFixtures.appendingPathComponent("gguf_quant_samples.json"))
        let cases = try XCTUnwrap(fixture["cases"] as? [[String: Any]])
        var seen = Set<GGMLType>()
        for testCase in cases {
            let typeName = try XCTUnwrap(testCase["type"] as? String)
            let type = try XCTUnwrap(GGMLType(name: typeName), typeName)
            let shape = try XCTUnwrap(testCase["shape"] as? [Int])
            let hex = try XCTUnwrap(testCase["raw_hex"] as? String)
            let raw = try XCTUnwrap(Self.bytes(hex: hex))
            let expected = try XCTUnwrap((testCase["dequantized"] as? [NSNumber])?.map { $0.floatValue })

            // Through the block API directly.
            XCTAssertEqual(raw.count, type.byteCount(elements: expected.count), typeName)
            var direct = [Float](repeating: .nan, count: expected.count)
            let ok = raw.withUnsafeBytes { source in
                direct.withUnsafeMutableBufferPointer {
                    Dequantizer.dequantize(type, from: source.baseAddress!, count: expected.count, into: $0.baseAddress!)
                }
            }
            XCTAssertTrue(ok, typeName)
            Self.assertClose(direct, expected, typeName)

            // Through a GGUF file, as a 2-D tensor.
            var builder = GGUFBuilder()
            builder.add("general.quantization_version", uint32: 2)
            builder.addTensor("t", ne: shape.reversed(), type: type, data: raw)
            let gguf = try GGUFFile(url: try builder.write())
            let tensor = try gguf.tensor(named: "t")
            XCTAssertEqual(tensor.shape, shape)
            Self.assertClose(tensor.scalars, expected, typeName + " via GGUF")
            seen.insert(type)
        }
        for type in Dequantizer.supportedTypes {
            XCTAssertTrue(seen.contains(type), "the fixture has no \(type) case")
        }
    }

    func testUnsupportedTypeNamesTheTensor() throws {
        var builder = GGUFBuilder()
        builder.addTensor("blk.3.ffn_up.weight", ne: [256], type: .q2_K, data: [UInt8](repeating: 0, count: 84))
        let gguf = try GGUFFile(url: try builder.write())
        XCTAssertThrowsError(try gguf.tensor(named: "blk.3.ffn_up.weight")) { error in
            XCTAssertEqual(error as? GGUFError, .unsupportedTensorType(tensor: "blk.3.ffn_up.weight", type: .q2_K))
            XCTAssertTrue("\(error)".contains("blk.3.ffn_up.weight"))
        }
    }

    func testRowBoundsAndOutputSize() throws {
        var builder = GGUFBuilder()
        builder.addTensor("m", ne: [2, 3], type: .f32, data: [Float]([1, 2, 3, 4, 5, 6]).littleEndianBytes)
        let gguf = try GGUFFile(url: try builder.write())
        let info = try gguf.requireTensorInfo(named: "m")
        var row = [Float](repeating: 0, count: 2)
        try row.withUnsafeMutableBufferPointer { try gguf.dequantizeRow(info, row: 2, into: $0) }
        XCTAssertEqual(row, [5, 6])
        XCTAssertThrowsError(try row.withUnsafeMutableBufferPointer { try gguf.dequantizeRow(info, row: 3, into: $0) }) {
            XCTAssertEqual($0 as? GGUFError, .rowOutOfRange(tensor: "m", row: 3, rows: 3))
        }
        var small = [Float](repeating: 0, count: 1)
        XCTAssertThrowsError(try small.withUnsafeMutableBufferPointer { try gguf.dequantizeRow(info, row: 0, into: $0) }) {
            XCTAssertEqual($0 as? GGUFError, .outputTooSmall(tensor: "m", needed: 2, given: 1))
        }
        XCTAssertEqual(try gguf.tensor(named: "m").shape, [3, 2])
    }

    // MARK: - Helpers

    static func assertClose(_ actual: [Float], _ expected: Any?, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let expected = (expected as? [NSNumber])?.map({ $0.floatValue }) ?? expected as? [Float] else {
            return XCTFail("\(label): no expected values", file: file, line: line)
        }
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        for (i, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > 1e-6 * max(1, abs(e)) {
            return XCTFail("\(label)[\(i)]: \(a) != \(e)", file: file, line: line)
        }
    }

    static func assertSums(_ values: [Float], _ sample: [String: Any], _ label: String) {
        var sum = 0.0, sumSquares = 0.0
        for v in values {
            sum += Double(v)
            sumSquares += Double(v) * Double(v)
        }
        let expectedSum = (sample["sum_f64"] as? NSNumber)?.doubleValue ?? .nan
        let expectedSquares = (sample["sumsq_f64"] as? NSNumber)?.doubleValue ?? .nan
        XCTAssertEqual(sum, expectedSum, accuracy: 1e-6 * max(1, abs(expectedSum)), label + " sum")
        XCTAssertEqual(sumSquares, expectedSquares, accuracy: 1e-6 * max(1, expectedSquares), label + " sumsq")
    }

    static func bytes(hex: String) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        while let hi = iterator.next() {
            guard let lo = iterator.next(), let h = nibble(hi), let l = nibble(lo) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
