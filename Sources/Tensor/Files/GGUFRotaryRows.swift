/// llama.cpp stores the Q and K projections of llama-architecture models with the rows of each
/// head interleaved for adjacent-pair RoPE (`LlamaModel.permute`). These helpers undo that on the
/// stored bytes: whole rows move, so quantized rows need no requantization.
public enum GGUFRotaryRows {
    /// For each Hugging Face row, the GGUF row that holds it. Within a head of `d` rows, GGUF row
    /// `2i + j` holds HF row `j·d/2 + i`.
    public static func ggufRows(forRows rows: Int, heads: Int) -> [Int] {
        guard heads > 0, rows % heads == 0, (rows / heads) % 2 == 0 else { return Array(0..<rows) }
        let headDim = rows / heads, half = headDim / 2
        return (0..<rows).map { row in
            let head = row / headDim, within = row % headDim
            let j = within / half, i = within % half
            return head * headDim + 2 * i + j
        }
    }
}

extension GGUFFile {
    /// The stored bytes of `info` with its rows in Hugging Face order (for llama Q/K weights,
    /// `heads` = attention heads for Q, KV heads for K). The result keeps the tensor's type.
    public func rawBytesUnpermutingRotaryRows(of info: GGUFTensorInfo, heads: Int) throws -> [UInt8] {
        let rows = info.rowCount
        guard heads > 0, rows % heads == 0, (rows / heads) % 2 == 0 else {
            throw GGUFError.invalidDimensions(path: path, tensor: info.name,
                                              detail: "\(rows) rows do not split into \(heads) heads of even size")
        }
        let bytesPerRow = info.bytesPerRow
        let source = rawBytes(of: info)
        var output = [UInt8](repeating: 0, count: source.count)
        for (row, ggufRow) in GGUFRotaryRows.ggufRows(forRows: rows, heads: heads).enumerated() {
            output.withUnsafeMutableBytes { out in
                out.baseAddress!.advanced(by: row * bytesPerRow)
                    .copyMemory(from: source.baseAddress!.advanced(by: ggufRow * bytesPerRow), byteCount: bytesPerRow)
            }
        }
        return output
    }
}
