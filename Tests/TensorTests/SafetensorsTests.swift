import Foundation
import Tensor
import XCTest

final class SafetensorsTests: FileFormatTestCase {
    private var sample: [String: Any] {
        get throws { try FileTestPaths.json(FileTestPaths.packageFixtures.appendingPathComponent("safetensors_sample.json")) }
    }

    /// Reads the reference library's file and recovers every tensor.
    func testReadsReferenceFile() throws {
        let fixture = try sample
        let bytes = try XCTUnwrap(GGUFDequantizationTests.bytes(hex: try XCTUnwrap(fixture["file_hex"] as? String)))
        let url = FileTestPaths.temporaryFile(".safetensors")
        try Data(bytes).write(to: url)
        let file = try SafetensorsFile(url: url)
        XCTAssertEqual(file.metadata, fixture["metadata"] as? [String: String])
        let tensors = try XCTUnwrap(fixture["tensors"] as? [String: [String: Any]])
        XCTAssertEqual(Set(file.names), Set(tensors.keys))
        for (name, expected) in tensors {
            let info = try file.requireInfo(named: name)
            XCTAssertEqual(info.dtype.rawValue, expected["dtype"] as? String, name)
            XCTAssertEqual(info.shape, expected["shape"] as? [Int], name)
            let values = try XCTUnwrap(expected["values"] as? [Any])
            if info.dtype.isFloatingPoint {
                XCTAssertEqual(try file.floats(named: name), values.map { ($0 as! NSNumber).floatValue }, name)
                XCTAssertEqual(try file.tensor(named: name).shape, info.shape, name)
            } else if info.dtype == .bool {
                XCTAssertEqual(try file.bools(named: name), values.map { ($0 as! NSNumber).boolValue }, name)
            } else {
                XCTAssertEqual(try file.integers(named: name), values.map { ($0 as! NSNumber).intValue }, name)
                XCTAssertThrowsError(try file.tensor(named: name)) {
                    guard case .notFloatingPoint? = $0 as? SafetensorsError else { return XCTFail("\($0)") }
                }
            }
        }
    }

    /// Given the same tensors, our writer produces the reference library's bytes exactly.
    func testWriterMatchesReferenceBytes() throws {
        let fixture = try sample
        let expected = try XCTUnwrap(GGUFDequantizationTests.bytes(hex: try XCTUnwrap(fixture["file_hex"] as? String)))
        var writer = SafetensorsWriter(metadata: try XCTUnwrap(fixture["metadata"] as? [String: String]))
        for (name, entry) in try XCTUnwrap(fixture["tensors"] as? [String: [String: Any]]) {
            let dtype = try XCTUnwrap(SafetensorsDType(rawValue: entry["dtype"] as? String ?? ""))
            let shape = try XCTUnwrap(entry["shape"] as? [Int])
            let values = try XCTUnwrap(entry["values"] as? [NSNumber])
            switch dtype {
            case .float32, .float16:
                try writer.add(name, tensor: Tensor(shape: shape, scalars: values.map(\.floatValue)), as: dtype)
            case .int64:
                try writer.add(name, int64: values.map(\.int64Value), shape: shape)
            case .int32:
                try writer.add(name, dtype: .int32, shape: shape,
                               bytes: values.flatMap { withUnsafeBytes(of: Int32($0.intValue).littleEndian, Array.init) })
            default:
                try writer.add(name, dtype: dtype, shape: shape, bytes: values.map { UInt8($0.intValue) })
            }
        }
        let url = FileTestPaths.temporaryFile(".safetensors")
        try writer.write(to: url)
        XCTAssertEqual(Array(try Data(contentsOf: url)), expected)
    }

    func testRoundTripPaddingMetadataAndConversions() throws {
        var writer = SafetensorsWriter(metadata: ["b": "quote \" slash \\ newline \n", "a": "ü"])
        let values: [Float] = [1, -2.5, 3.140625, 0.0009765625, 65504, -0.0]
        try writer.add("x", tensor: Tensor(shape: [2, 3], scalars: values))
        try writer.add("x.bf16", tensor: Tensor(shape: [6], scalars: values), as: .bfloat16)
        try writer.add("x.f16", tensor: Tensor(shape: [3, 2], scalars: values), as: .float16)
        try writer.add("flags", dtype: .bool, shape: [2], bytes: [1, 0])
        XCTAssertThrowsError(try writer.add("x", tensor: Tensor(zeros: [1])))
        XCTAssertThrowsError(try writer.add("bad", dtype: .int32, shape: [3], bytes: [0, 0]))
        let header = writer.headerBytes()
        XCTAssertEqual(header.count % 8, 0)
        XCTAssertTrue(String(decoding: header, as: UTF8.self).hasPrefix("{\"__metadata__\":"))
        let url = FileTestPaths.temporaryFile(".safetensors")
        try writer.write(to: url)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(".\(url.lastPathComponent)") }
        XCTAssertEqual(leftovers, [], "the temporary file is renamed away")

        let file = try SafetensorsFile(url: url)
        XCTAssertEqual(file.metadata, ["b": "quote \" slash \\ newline \n", "a": "ü"])
        XCTAssertEqual(try file.floats(named: "x"), values)
        XCTAssertEqual(try file.floats(named: "x.f16"), values, "all values are exact in f16")
        XCTAssertEqual(try file.floats(named: "x.bf16"), [1, -2.5, 3.140625, 0.0009765625, 65536, -0.0])
        XCTAssertEqual(try file.bools(named: "flags"), [true, false])
        XCTAssertEqual(file.names.first, "x", "F32 before BF16/F16/BOOL")
        XCTAssertEqual(HalfPrecision.bfloat16(.nan) & 0x7FC0, 0x7FC0)
    }

    func testReadsRealModelFolder() throws {
        let url = FileTestPaths.modelCache.appendingPathComponent("all-MiniLM-L6-v2/model.safetensors")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path), "run `make models` first")
        let file = try SafetensorsFile(url: url)
        let embeddings = try XCTUnwrap(file.info(named: "embeddings.word_embeddings.weight"))
        XCTAssertEqual(embeddings.shape, [30522, 384])
        let t = try file.tensor(named: "embeddings.word_embeddings.weight")
        XCTAssertEqual(t.shape, [30522, 384])
        XCTAssertTrue(t.scalars.prefix(1000).allSatisfy { $0.isFinite && abs($0) < 10 })
    }

    // MARK: - Corrupt files

    private func open(_ bytes: [UInt8]) -> SafetensorsError? {
        let url = FileTestPaths.temporaryFile(".safetensors")
        do {
            try Data(bytes).write(to: url)
            _ = try SafetensorsFile(url: url)
            return nil
        } catch {
            return error as? SafetensorsError
        }
    }

    private func file(header: String, dataBytes: Int) -> [UInt8] {
        let h = Array(header.utf8)
        return GGUFBuilder.le(UInt64(h.count)) + h + [UInt8](repeating: 0, count: dataBytes)
    }

    func testTruncatedFiles() throws {
        guard case .truncated? = open([1, 0, 0]) else { return XCTFail("shorter than the length prefix") }
        let good = file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, dataBytes: 8)
        XCTAssertNil(open(good))
        guard case .truncated? = open(Array(good.prefix(20))) else { return XCTFail("header cut") }
        guard case .offsetsPastEnd(_, "a", 8, 4)? = open(Array(good.dropLast(4))) else { return XCTFail("data cut") }
    }

    func testBadJSON() {
        guard case .invalidHeader? = open(file(header: #"{"a": {"dtype": "F32", "#, dataBytes: 0)) else { return XCTFail() }
        guard case .invalidHeader? = open(file(header: "[1, 2]", dataBytes: 0)) else { return XCTFail("not an object") }
        guard case .invalidHeader? = open(file(header: #"{"a":{"dtype":"F32"}}"#, dataBytes: 0)) else { return XCTFail("fields") }
    }

    func testOffsetsPastTheEnd() {
        let bytes = file(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[1000,1016]}}"#, dataBytes: 16)
        guard case .offsetsPastEnd(_, "a", 1016, 16)? = open(bytes) else { return XCTFail() }
    }

    func testAbsurdHeaderLength() {
        let bytes = GGUFBuilder.le(UInt64(1) << 62) + Array("{}".utf8)
        guard case .headerTooLarge? = open(bytes) else { return XCTFail() }
    }

    func testSizeMismatchOverlapAndUnknownDType() {
        let mismatch = file(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataBytes: 8)
        guard case .sizeMismatch(_, "a", 12, 8)? = open(mismatch) else { return XCTFail("size") }
        let overlap = file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, dataBytes: 12)
        guard case .overlappingTensors? = open(overlap) else { return XCTFail("overlap") }
        let unknown = file(header: #"{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,1]}}"#, dataBytes: 1)
        guard case .unknownDType(_, "a", "Q4")? = open(unknown) else { return XCTFail("dtype") }
    }
}

extension SafetensorsTests {
    func testBFloat16RoundsToNearestEven() {
        // 1e-3 = 0x3A83126F: the dropped half 0x126F is below 0x8000, so it rounds down.
        XCTAssertEqual(HalfPrecision.bfloat16(1e-3), 0x3A83)
        // 0x3F808000 is exactly halfway; the kept 0x3F80 is even, so it stays.
        XCTAssertEqual(HalfPrecision.bfloat16(Float(bitPattern: 0x3F80_8000)), 0x3F80)
        XCTAssertEqual(HalfPrecision.bfloat16(Float(bitPattern: 0x3F81_8000)), 0x3F82)
    }
}
