import Foundation
import LLM
import Tensor
import XCTest

/// The llama Q/K row order of GGUF files (moved here from the tensor tests with the code).
final class LlamaRotaryRowsTests: XCTestCase {
    /// `LlamaModel.permute` (reshape(n_head, 2, d/2, in).swapaxes(1, 2)) followed by our row map
    /// gives back the original rows; on the real model the un-permuted quantized bytes dequantize
    /// to the un-permuted float rows.
    func testRotaryRowsUndoLlamaPermute() throws {
        let heads = 3, headDim = 8, rows = heads * headDim
        // permute: new row (h, i, j) at h·d + 2i + j takes old row (h, j, i) at h·d + j·d/2 + i.
        var permuted = [Int](repeating: -1, count: rows)
        for h in 0..<heads { for i in 0..<headDim / 2 { for j in 0..<2 {
            permuted[h * headDim + 2 * i + j] = h * headDim + j * headDim / 2 + i
        } } }
        XCTAssertEqual(Array(permuted[0..<8]), [0, 4, 1, 5, 2, 6, 3, 7])
        let map = LlamaRotaryRows.ggufRows(forRows: rows, heads: heads)
        XCTAssertEqual(map.map { permuted[$0] }, Array(0..<rows))

        let modelURL = ModelRegistry().url(for: try XCTUnwrap(ModelRegistry.entry(named: ModelRegistry.defaultModelName)))
        try XCTSkipUnless(FileManager.default.fileExists(atPath: modelURL.path), "run `make models` first")
        let model = try GGUFFile(url: modelURL)
        let info = try model.requireTensorInfo(named: "blk.0.attn_k.weight")
        let bytes = try model.rawBytesUnpermutingRotaryRows(of: info, heads: 3)
        var writer = GGUFWriter()
        try writer.addTensor("k", shape: info.shape, type: info.type, bytes: bytes)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rotary-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try writer.write(to: url)
        let unpermuted = try GGUFFile(url: url).tensor(named: "k").scalars
        let original = try model.tensor(info).scalars
        let n = info.rowLength
        for (row, ggufRow) in LlamaRotaryRows.ggufRows(forRows: info.rowCount, heads: 3).enumerated() {
            XCTAssertEqual(Array(unpermuted[row * n..<(row + 1) * n]), Array(original[ggufRow * n..<(ggufRow + 1) * n]))
        }
        XCTAssertThrowsError(try model.rawBytesUnpermutingRotaryRows(of: info, heads: 5))
    }
}
