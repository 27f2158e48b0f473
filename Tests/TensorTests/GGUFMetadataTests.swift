import Foundation
import Tensor
import XCTest

final class GGUFMetadataTests: FileFormatTestCase {
    func testReadsEveryValueTypeIncludingNestedArrays() throws {
        var b = GGUFBuilder()
        b.add("t.u8", rawType: 0, payload: [200])
        b.add("t.i8", rawType: 1, payload: [0xFE])
        b.add("t.u16", rawType: 2, payload: GGUFBuilder.le(UInt16(65000)))
        b.add("t.i16", rawType: 3, payload: GGUFBuilder.le(Int16(-300)))
        b.add("t.u32", uint32: 4_000_000_000)
        b.add("t.i32", rawType: 5, payload: GGUFBuilder.le(Int32(-70000)))
        b.add("t.f32", float32: 1.5)
        b.add("t.bool", bool: true)
        b.add("t.string", string: "héllo")
        b.add("t.u64", rawType: 10, payload: GGUFBuilder.le(UInt64(1) << 40))
        b.add("t.i64", rawType: 11, payload: GGUFBuilder.le(Int64(-5)))
        b.add("t.f64", rawType: 12, payload: GGUFBuilder.le((0.25 as Double).bitPattern))
        b.add("t.strings", strings: ["a", "", "ü c"])
        // [[1, 2], [3]] as arrays of int32
        let inner1 = GGUFBuilder.le(UInt32(5)) + GGUFBuilder.le(UInt64(2)) + GGUFBuilder.le(Int32(1)) + GGUFBuilder.le(Int32(2))
        let inner2 = GGUFBuilder.le(UInt32(5)) + GGUFBuilder.le(UInt64(1)) + GGUFBuilder.le(Int32(3))
        b.add("t.nested", rawType: 9, payload: GGUFBuilder.le(UInt32(9)) + GGUFBuilder.le(UInt64(2)) + inner1 + inner2)
        let gguf = try GGUFFile(url: try b.write())

        XCTAssertEqual(gguf.version, 3)
        XCTAssertEqual(gguf.metadata["t.u8"], .uint8(200))
        XCTAssertEqual(gguf.metadata["t.i8"]?.int, -2)
        XCTAssertEqual(gguf.metadata["t.u16"]?.int, 65000)
        XCTAssertEqual(gguf.metadata["t.i16"]?.int, -300)
        XCTAssertEqual(gguf.metadata["t.u32"]?.int, 4_000_000_000)
        XCTAssertEqual(gguf.metadata["t.i32"]?.int, -70000)
        XCTAssertEqual(gguf.metadata["t.f32"]?.float, 1.5)
        XCTAssertEqual(gguf.metadata["t.bool"]?.bool, true)
        XCTAssertEqual(gguf.metadata["t.string"]?.string, "héllo")
        XCTAssertEqual(gguf.metadata["t.u64"]?.int, 1 << 40)
        XCTAssertEqual(gguf.metadata["t.i64"]?.int, -5)
        XCTAssertEqual(gguf.metadata["t.f64"]?.double, 0.25)
        XCTAssertEqual(gguf.metadata["t.strings"]?.stringArray, ["a", "", "ü c"])
        XCTAssertEqual(gguf.metadata["t.nested"]?.array?.compactMap(\.intArray), [[1, 2], [3]])
        XCTAssertNil(gguf.metadata["t.string"]?.int)
        XCTAssertEqual(gguf.metadataKeys.first, "t.u8")
        XCTAssertEqual(gguf.metadataKeys.count, 14)
        XCTAssertTrue(gguf.tensors.isEmpty)
    }

    func testTensorInfosShapeAndAlignment() throws {
        var b = GGUFBuilder()
        b.alignment = 64
        b.add("general.alignment", uint32: 64)
        b.addTensor("a", ne: [3, 2], type: .f32, data: [Float](repeating: 1, count: 6).littleEndianBytes)
        b.addTensor("b", ne: [4], type: .f32, data: [Float](repeating: 2, count: 4).littleEndianBytes)
        let gguf = try GGUFFile(url: try b.write())
        XCTAssertEqual(gguf.alignment, 64)
        XCTAssertEqual(gguf.dataOffset % 64, 0)
        let a = try XCTUnwrap(gguf.tensorInfo(named: "a"))
        XCTAssertEqual(a.dimensions, [3, 2])
        XCTAssertEqual(a.shape, [2, 3])
        XCTAssertEqual(a.rowLength, 3)
        XCTAssertEqual(a.rowCount, 2)
        XCTAssertEqual(a.byteRange, gguf.dataOffset..<gguf.dataOffset + 24)
        XCTAssertEqual(gguf.tensorInfo(named: "b")?.offset, 64)
        XCTAssertThrowsError(try gguf.requireTensorInfo(named: "nope")) { error in
            XCTAssertEqual(error as? GGUFError, .tensorNotFound(name: "nope", path: gguf.path))
        }
    }

    func testDefaultModelMetadata() throws {
        let url = FileTestPaths.defaultGGUF
        try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path), "run `make models` first")
        let gguf = try GGUFFile(url: url)
        XCTAssertEqual(gguf.architecture, "llama")
        XCTAssertEqual(gguf.architectureValue("embedding_length")?.int, 576)
        XCTAssertEqual(gguf.architectureValue("block_count")?.int, 30)
        XCTAssertEqual(gguf.architectureValue("attention.head_count_kv")?.int, 3)
        XCTAssertEqual(gguf.architectureValue("rope.freq_base")?.float, 100000)
        XCTAssertEqual(gguf.metadata["tokenizer.ggml.tokens"]?.stringArray?.count, 49152)
        XCTAssertEqual(gguf.metadata["tokenizer.ggml.merges"]?.stringArray?.count, 48900)
        XCTAssertEqual(gguf.metadata["tokenizer.ggml.token_type"]?.intArray?.count, 49152)
        XCTAssertEqual(gguf.metadata["tokenizer.ggml.tokens"]?.stringArray?[1], "<|im_start|>")
        XCTAssertNotNil(gguf.metadata["tokenizer.chat_template"]?.string)
        let embedding = try XCTUnwrap(gguf.tensorInfo(named: "token_embd.weight"))
        XCTAssertEqual(embedding.shape, [49152, 576])
        XCTAssertEqual(embedding.type, .q8_0)
        XCTAssertEqual(embedding.bytesPerRow, 576 / 32 * 34)
        XCTAssertEqual(gguf.tensorInfo(named: "blk.0.ffn_down.weight")?.shape, [576, 1536])
        XCTAssertEqual(gguf.tensorInfo(named: "blk.0.attn_q.weight")?.type, .q4_1)
        XCTAssertEqual(gguf.tensors.count, 1 + 30 * 9 + 1)
    }
}
