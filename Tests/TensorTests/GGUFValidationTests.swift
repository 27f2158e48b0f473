import Foundation
import Tensor
import XCTest

/// Corrupt GGUF files, built byte by byte: each must give its own typed error.
final class GGUFValidationTests: FileFormatTestCase {
    private func validBuilder() -> GGUFBuilder {
        var b = GGUFBuilder()
        b.add("general.architecture", string: "llama")
        b.add("tokenizer.ggml.tokens", strings: ["a", "b"])
        b.addTensor("w", ne: [4, 2], type: .f32, data: [Float](repeating: 0.5, count: 8).littleEndianBytes)
        b.addTensor("v", ne: [2], type: .f32, data: [Float](repeating: 1, count: 2).littleEndianBytes)
        return b
    }

    private func error(opening bytes: [UInt8]) -> GGUFError? {
        do {
            _ = try GGUFFile(url: try GGUFBuilder().write(bytes))
            return nil
        } catch {
            return error as? GGUFError
        }
    }

    func testValidFileOpens() throws {
        let gguf = try GGUFFile(url: try validBuilder().write())
        XCTAssertEqual(gguf.tensors.map(\.name), ["w", "v"])
    }

    func testEveryTruncationIsATypedError() throws {
        let bytes = validBuilder().bytes()
        // Cut inside the header, the metadata, the tensor infos and the data.
        for length in [0, 3, 6, 12, 20, 30, 60, 100, bytes.count - 40, bytes.count - 1] {
            let cut = Array(bytes[0..<length])
            switch error(opening: cut) {
            case .notGGUF?, .truncated?, .absurdCount?, .tensorOutOfBounds?: continue
            case let other: XCTFail("length \(length): \(String(describing: other))")
            }
        }
        guard case .truncated? = error(opening: Array(bytes[0..<50])) else {
            return XCTFail("a cut inside the metadata must say truncated")
        }
        guard case let .tensorOutOfBounds(_, tensor, _, _)? = error(opening: Array(bytes.dropLast(1))) else {
            return XCTFail("a cut inside the data must name the tensor")
        }
        XCTAssertEqual(tensor, "v")
    }

    func testWrongMagicAndVersion() {
        var bytes = validBuilder().bytes()
        bytes[0] = UInt8(ascii: "X")
        guard case .notGGUF? = error(opening: bytes) else { return XCTFail() }
        var b = validBuilder()
        b.version = 1
        guard case .unsupportedVersion(_, 1)? = error(opening: b.bytes()) else { return XCTFail() }
        b.version = 2
        XCTAssertNil(error(opening: b.bytes()), "version 2 has the same layout and is accepted")
    }

    func testUnknownTensorTypeNamesTheTensor() {
        var b = validBuilder()
        b.addTensor("blk.0.mystery", ne: [32], rawType: 77, data: [UInt8](repeating: 0, count: 32))
        guard case let .unknownTensorType(_, tensor, 77)? = error(opening: b.bytes()) else { return XCTFail() }
        XCTAssertEqual(tensor, "blk.0.mystery")
        XCTAssertTrue(GGUFError.unknownTensorType(path: "f", tensor: "blk.0.mystery", rawType: 77)
            .description.contains("blk.0.mystery"))
    }

    func testMisalignedOffset() {
        var b = validBuilder()
        b.offsetOverride[1] = 36
        guard case .misalignedTensor(_, "v", 36, 32)? = error(opening: b.bytes()) else { return XCTFail() }
    }

    func testOverlappingTensors() {
        var b = validBuilder()
        b.offsetOverride[1] = 0
        guard case .overlappingTensors? = error(opening: b.bytes()) else { return XCTFail() }
    }

    func testOffsetPastTheEnd() {
        var b = validBuilder()
        b.offsetOverride[1] = 1 << 40
        guard case .tensorOutOfBounds(_, "v", _, _)? = error(opening: b.bytes()) else { return XCTFail() }
    }

    func testAbsurdCounts() {
        var b = validBuilder()
        b.tensorCountOverride = 1 << 60
        guard case .absurdCount? = error(opening: b.bytes()) else { return XCTFail("tensor count") }

        var c = GGUFBuilder()
        c.add("huge", rawType: 9, payload: GGUFBuilder.le(UInt32(4)) + GGUFBuilder.le(UInt64(1) << 50))
        guard case .absurdCount? = error(opening: c.bytes()) else { return XCTFail("array count") }

        var d = GGUFBuilder()
        d.add("s", rawType: 8, payload: GGUFBuilder.le(UInt64(1) << 62))
        guard case .truncated? = error(opening: d.bytes()) else { return XCTFail("string length") }

        var e = validBuilder()
        e.addTensor("huge", ne: [1 << 30, 1 << 30, 1 << 20], type: .f32, data: [])
        guard case .invalidDimensions(_, "huge", _)? = error(opening: e.bytes()) else { return XCTFail("dims") }
    }

    func testInvalidValues() {
        var b = GGUFBuilder()
        b.add("flag", rawType: 7, payload: [2])
        guard case .invalidBool(_, "flag", 2)? = error(opening: b.bytes()) else { return XCTFail("bool") }

        var c = GGUFBuilder()
        c.add("odd", rawType: 99, payload: [])
        guard case .invalidValueType(_, "odd", 99)? = error(opening: c.bytes()) else { return XCTFail("type") }

        var d = validBuilder()
        d.add("general.alignment", uint32: 12)
        guard case .invalidAlignment(_, 12)? = error(opening: d.bytes()) else { return XCTFail("alignment") }

        var e = validBuilder()
        e.add("general.architecture", string: "again")
        guard case .duplicateKey(_, "general.architecture")? = error(opening: e.bytes()) else { return XCTFail("dup") }

        var f = validBuilder()
        f.addTensor("w", ne: [2], type: .f32, data: [0, 0, 0, 0, 0, 0, 0, 0])
        guard case .duplicateTensor(_, "w")? = error(opening: f.bytes()) else { return XCTFail("dup tensor") }

        var g = validBuilder()
        g.addTensor("five", ne: [1, 1, 1, 1, 1], type: .f32, data: [0, 0, 0, 0])
        guard case .invalidDimensions(_, "five", _)? = error(opening: g.bytes()) else { return XCTFail("rank") }

        var h = validBuilder()
        h.addTensor("q", ne: [16], type: .q8_0, data: [UInt8](repeating: 0, count: 34))
        guard case .invalidDimensions(_, "q", _)? = error(opening: h.bytes()) else { return XCTFail("block") }
    }
}

/// Inputs found by `swift-grpo fuzz gguf` (and the hand mutations) that once killed the
/// process: each must now be a typed error.
final class GGUFHostileInputTests: FileFormatTestCase {
    private func error(opening bytes: [UInt8]) -> GGUFError? {
        do {
            _ = try GGUFFile(url: try GGUFBuilder().write(bytes))
            return nil
        } catch {
            return error as? GGUFError
        }
    }

    /// One flipped byte made a metadata string length near 2^63; the error path added 8 to it.
    func testStringLengthNearTwoToTheSixtyThreeIsTruncatedNotATrap() {
        for length: UInt64 in [UInt64(Int64.max), UInt64(Int64.max) - 7, UInt64.max, 1 << 63] {
            var b = GGUFBuilder()
            b.add("general.architecture", string: "llama")
            var bytes = b.bytes()
            // The key length of the first metadata entry sits right after the 24-byte header.
            bytes.replaceSubrange(24..<32, with: GGUFBuilder.le(length))
            guard case let .truncated(_, offset, needed, _)? = error(opening: bytes) else {
                return XCTFail("length \(length) must be reported as a truncation")
            }
            XCTAssertEqual(offset, 24)
            XCTAssertEqual(needed, Int.max)
        }
    }

    /// `fuzz gguf` (seed 3005, input 15957): the Gemma 3 header seed with its first key's length
    /// set to 3 misread every entry after it, until a key of 240 MB of tokenizer text (padded with
    /// zeros) was hashed into the metadata table: minutes of Unicode normalization, a hang. Keys
    /// are ASCII and at most 65,535 bytes (the GGUF specification), checked before hashing.
    func testOversizedAndNonASCIIKeysAreInvalidKeys() throws {
        var long = GGUFBuilder()
        long.add(String(repeating: "k", count: 65_536), string: "x")
        guard case let .invalidKey(_, offset, detail)? = error(opening: long.bytes()) else {
            return XCTFail("a 65,536-byte key must be an invalid key")
        }
        XCTAssertEqual(offset, 24)
        XCTAssertTrue(detail.contains("65536 bytes"), detail)
        XCTAssertTrue(GGUFError.invalidKey(path: "m.gguf", offset: offset, detail: detail).description.contains("at most 65535 bytes"))

        var unicode = GGUFBuilder()
        unicode.add("general.architecture", string: "llama")
        unicode.add("tokenizer.▁wörld", uint32: 1)
        guard case .invalidKey(_, _, let why)? = error(opening: unicode.bytes()) else {
            return XCTFail("a non-ASCII key must be an invalid key")
        }
        XCTAssertTrue(why.contains("not ASCII"), why)

        var longest = GGUFBuilder()
        longest.add(String(repeating: "k", count: 65_535), uint32: 7)
        XCTAssertNil(error(opening: longest.bytes()), "a 65,535-byte ASCII key is allowed")
    }
}
