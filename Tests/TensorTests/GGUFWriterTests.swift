import Foundation
import Tensor
import XCTest

final class GGUFWriterTests: FileFormatTestCase {
    /// Our quantizers give gguf-py's exact bytes for every fixture case that has its input.
    func testQuantizersMatchGGUFPyBytes() throws {
        let fixture = try FileTestPaths.json(FileTestPaths.packageFixtures.appendingPathComponent("gguf_quant_samples.json"))
        var checked = Set<GGMLType>()
        for testCase in try XCTUnwrap(fixture["cases"] as? [[String: Any]]) {
            guard let input = (testCase["input"] as? [NSNumber])?.map(\.floatValue) else { continue }
            let type = try XCTUnwrap(GGMLType(name: testCase["type"] as? String ?? ""))
            let expected = try XCTUnwrap(GGUFDequantizationTests.bytes(hex: testCase["raw_hex"] as? String ?? ""))
            var output = [UInt8](repeating: 0xAA, count: type.byteCount(elements: input.count))
            let ok = input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBytes { Quantizer.quantize(type, from: x.baseAddress!, count: x.count, into: $0.baseAddress!) }
            }
            XCTAssertTrue(ok, "\(type)")
            XCTAssertEqual(output, expected, "\(type)")
            checked.insert(type)
        }
        // gguf-py has no K-quant encoders; KQuantEncoderTests checks ours.
        XCTAssertEqual(checked, Set(Quantizer.supportedTypes).subtracting([.q4_K, .q5_K, .q6_K]))
    }

    func testRoundTripMetadataAndTensors() throws {
        var writer = GGUFWriter()
        writer.alignment = 64
        let metadata: [(String, GGUFValue)] = [
            ("general.architecture", .string("llama")), ("a.u8", .uint8(7)), ("a.i8", .int8(-7)),
            ("a.u16", .uint16(700)), ("a.i16", .int16(-700)), ("a.u32", .uint32(70_000)), ("a.i32", .int32(-70_000)),
            ("a.f32", .float32(0.5)), ("a.bool", .bool(true)), ("a.u64", .uint64(1 << 40)), ("a.i64", .int64(-(1 << 40))),
            ("a.f64", .float64(0.125)), ("a.strings", .array([.string("x"), .string("ÿ")])),
            ("a.nested", .array([.array([.int32(1)]), .array([.int32(2), .int32(3)])])),
        ]
        for (k, v) in metadata { writer.set(k, v) }
        let values = (0..<128).map { Float(sin(Double($0) * 0.37)) * 2 }
        let source = Tensor(shape: [2, 64], scalars: values)
        let rowTypes = Quantizer.supportedTypes.filter { $0.blockSize <= 64 }   // K-quants need rows of 256
        for type in rowTypes { try writer.addTensor("t.\(type)", source, as: type) }
        try writer.addTensor("odd", Tensor(shape: [3], scalars: [1, 2, 3]))
        let url = FileTestPaths.temporaryFile(".gguf")
        try writer.write(to: url)

        let gguf = try GGUFFile(url: url)
        XCTAssertEqual(gguf.version, 3)
        XCTAssertEqual(gguf.alignment, 64)
        for (k, v) in metadata { XCTAssertEqual(gguf.metadata[k], v, k) }
        XCTAssertEqual(Array(gguf.metadataKeys.prefix(metadata.count)), metadata.map(\.0))
        for type in rowTypes {
            let info = try gguf.requireTensorInfo(named: "t.\(type)")
            XCTAssertEqual(info.shape, [2, 64])
            XCTAssertEqual(info.type, type)
            XCTAssertEqual(info.byteRange.lowerBound % 64, 0)
            let decoded = try gguf.tensor(named: "t.\(type)").scalars
            // Worst-case rounding for |x| <= 2: half a step, or a whole step at Q4_0/Q5_0's clipped end.
            let tolerance: Float = [.f32: 0, .f16: 1e-3, .bf16: 1e-2, .q8_0: 0.01, .q4_0: 0.26, .q4_1: 0.14,
                                    .q5_0: 0.13, .q5_1: 0.07][type]!
            for (a, b) in zip(decoded, values) { XCTAssertEqual(a, b, accuracy: tolerance, "\(type)") }
        }
        XCTAssertEqual(try gguf.tensor(named: "odd").scalars, [1, 2, 3])
    }

    func testCopiesRawRowsOfTheDefaultModel() throws {
        let modelURL = FileTestPaths.defaultGGUF
        try XCTSkipUnless(FileManager.default.fileExists(atPath: modelURL.path), "run `make models` first")
        let model = try GGUFFile(url: modelURL)
        var writer = GGUFWriter()
        writer.set("general.architecture", model.metadata["general.architecture"]!)
        let info = try model.requireTensorInfo(named: "blk.0.attn_k.weight")
        try writer.addTensor(info.name, shape: info.shape, type: info.type, bytes: Array(model.rawBytes(of: info)))
        let url = FileTestPaths.temporaryFile(".gguf")
        try writer.write(to: url)
        let copy = try GGUFFile(url: url)
        XCTAssertEqual(try copy.tensor(named: info.name).scalars, try model.tensor(named: info.name).scalars)
    }

    func testRejectsWhatItCannotWrite() {
        var writer = GGUFWriter()
        XCTAssertThrowsError(try writer.addTensor("k", Tensor(zeros: [256]), as: .q2_K)) {
            XCTAssertEqual($0 as? GGUFError, .unsupportedTensorType(tensor: "k", type: .q2_K))
        }
        XCTAssertThrowsError(try writer.addTensor("q", Tensor(zeros: [2, 16]), as: .q8_0))
        XCTAssertThrowsError(try writer.addTensor("raw", shape: [4], type: .f32, bytes: [0, 0]))
        XCTAssertNoThrow(try writer.addTensor("a", Tensor(zeros: [4])))
        XCTAssertThrowsError(try writer.addTensor("a", Tensor(zeros: [4])))
    }
}
