// Embedding lookup: gather rows of a [vocabulary, dim] table; backward scatter-adds.

/// out[t, :] = table[ids[t], :] for each of the `ids.count` tokens.
///
/// Every id must be in `0..<vocabulary`; callers validate ids coming from users or files.
public func embeddingForward(
    out: UnsafeMutableBufferPointer<Float>,
    table: UnsafeBufferPointer<Float>,
    ids: UnsafeBufferPointer<Int32>,
    vocabulary: Int, dim: Int
) {
    precondition(out.count >= ids.count * dim && table.count >= vocabulary * dim,
                 "embeddingForward: buffers smaller than the shapes")
    guard dim > 0 else { return }
    for (row, id) in ids.enumerated() {
        let index = Int(id)
        precondition(index >= 0 && index < vocabulary, "embeddingForward: id \(index) outside 0..<\(vocabulary)")
        (out.baseAddress! + row * dim).update(from: table.baseAddress! + index * dim, count: dim)
    }
}

/// dTable[ids[t], :] += dOut[t, :]; repeated ids add up. Split by columns, so two workers
/// never touch the same float and the order of additions is fixed.
public func embeddingBackward(
    dTable: UnsafeMutableBufferPointer<Float>,
    dOut: UnsafeBufferPointer<Float>,
    ids: UnsafeBufferPointer<Int32>,
    vocabulary: Int, dim: Int
) {
    precondition(dTable.count >= vocabulary * dim && dOut.count >= ids.count * dim,
                 "embeddingBackward: buffers smaller than the shapes")
    KernelMath.forEachChunk(of: dim, costPerItem: ids.count) { columns in
        for (row, id) in ids.enumerated() {
            let target = dTable.baseAddress! + Int(id) * dim
            let source = dOut.baseAddress! + row * dim
            for column in columns { target[column] += source[column] }
        }
    }
}
