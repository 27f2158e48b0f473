import Foundation

/// Float32 copies of quantized matrices for the length of one product, in buffers that are
/// reused from product to product (a fresh multi-MB allocation each time would be mapped and
/// zeroed by the kernel on every call).
enum DequantizedMatrixScratch {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var idle: [UnsafeMutableBufferPointer<Float>] = []
    /// Idle buffers kept at most (products running at once on different threads each take one).
    private static let idleLimit = 4

    /// Calls `body` with all of `matrix`'s values dequantized, row after row ([rows, columns]);
    /// the rows are dequantized concurrently. The pointer is valid only inside `body`.
    static func withValues<Result>(of matrix: QuantizedMatrix, _ body: (UnsafePointer<Float>) -> Result) -> Result {
        let count = matrix.rows * matrix.columns
        let buffer = take(count)
        defer { giveBack(buffer) }
        let values = buffer.baseAddress!
        KernelMath.forEachChunk(of: matrix.rows, costPerItem: matrix.columns, minimumWork: 65_536) { rows in
            matrix.dequantizeRows(rows, into: values + rows.lowerBound * matrix.columns)
        }
        return body(values)
    }

    private static func take(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        lock.lock()
        defer { lock.unlock() }
        if let index = idle.firstIndex(where: { $0.count >= count }) { return idle.remove(at: index) }
        if !idle.isEmpty { idle.removeLast().deallocate() }
        return UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, count))
    }

    private static func giveBack(_ buffer: UnsafeMutableBufferPointer<Float>) {
        lock.lock()
        defer { lock.unlock() }
        if idle.count < idleLimit { idle.append(buffer) } else { buffer.deallocate() }
    }
}
