import Tensor

/// llama.cpp stores the Q and K projections of llama-architecture models with the rows of each
/// head interleaved for adjacent-pair RoPE (`LlamaModel.permute`). These helpers undo that, on
/// float tensors and on the stored bytes: whole rows move, so quantized rows need no
/// requantization and any row length (weights or biases) works.
public enum LlamaRotaryRows {
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

    /// `tensor` (rows first) with its rows back in Hugging Face order.
    static func unpermuted(_ tensor: Tensor, heads: Int) -> Tensor {
        // A rank-0 tensor (possible in a corrupt file) has no rows to move; the shape check
        // at model build reports it.
        guard let rows = tensor.shape.first else { return tensor }
        let rowLength = tensor.count / max(rows, 1)
        let out = Tensor(zeros: tensor.shape)
        tensor.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                for (row, ggufRow) in ggufRows(forRows: rows, heads: heads).enumerated() {
                    (to + row * rowLength).update(from: from + ggufRow * rowLength, count: rowLength)
                }
            }
        }
        return out
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
        output.withUnsafeMutableBytes { out in
            guard let to = out.baseAddress, let from = source.baseAddress else { return }
            for (row, ggufRow) in LlamaRotaryRows.ggufRows(forRows: rows, heads: heads).enumerated() {
                (to + row * bytesPerRow).copyMemory(from: from + ggufRow * bytesPerRow, byteCount: bytesPerRow)
            }
        }
        return output
    }
}
