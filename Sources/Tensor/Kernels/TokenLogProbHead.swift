// The LM head's rows as the tiled log-probability loops (TokenLogProbKernels.swift) read them.

/// A [vocabulary, dim] head for the tiled log-prob kernels: Float32 rows read in place, or a
/// quantized table whose rows are dequantized one vocabulary tile at a time into a buffer the
/// loop reuses, so a 49,152-token table never exists whole as Float32 (113 MB for SmolLM2).
/// Dequantized rows are the values `QuantizedMatrix.dequantized()` holds, so the results equal
/// those of the whole Float32 table.
public struct TokenLogProbHead {
    private enum Rows {
        case float32(UnsafePointer<Float>)
        case blocks(QuantizedMatrix)
    }

    private let source: Rows
    public let vocabulary: Int
    public let dim: Int

    /// Float32 rows, `weight.count ≥ vocabulary · dim`.
    public init(float32 weight: UnsafeBufferPointer<Float>, vocabulary: Int, dim: Int) {
        precondition(weight.count >= vocabulary * dim, "TokenLogProbHead: \(weight.count) floats for [\(vocabulary), \(dim)]")
        source = .float32(weight.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Float>.alignment)!)
        self.vocabulary = vocabulary
        self.dim = dim
    }

    /// A quantized table, dequantized tile by tile.
    public init(blocks: QuantizedMatrix) {
        source = .blocks(blocks)
        vocabulary = blocks.rows
        dim = blocks.columns
    }

    /// True when tiles are dequantized (into scratch the caller provides).
    public var isQuantized: Bool {
        if case .blocks = source { return true }
        return false
    }

    /// Rows `tile` as Float32, row after row: in place, or dequantized into `scratch`
    /// (`tile.count · dim` floats; needed only when `isQuantized`), split over the cores.
    func rows(_ tile: Range<Int>, scratch: UnsafeMutablePointer<Float>?) -> UnsafePointer<Float> {
        switch source {
        case let .float32(weight):
            return weight + tile.lowerBound * dim
        case let .blocks(matrix):
            guard let scratch else { preconditionFailure("TokenLogProbHead: a quantized head needs scratch for its tiles") }
            KernelMath.forEachChunk(of: tile.count, costPerItem: 4 * dim) { rows in
                matrix.dequantizeRows((tile.lowerBound + rows.lowerBound) ..< (tile.lowerBound + rows.upperBound),
                                      into: scratch + rows.lowerBound * dim)
            }
            return UnsafePointer(scratch)
        }
    }

    /// Scratch for tiles of up to `rows` rows, nil for a Float32 head; the caller deallocates it.
    func allocateScratch(rows: Int) -> UnsafeMutablePointer<Float>? {
        isQuantized ? UnsafeMutablePointer<Float>.allocate(capacity: rows * dim) : nil
    }
}
