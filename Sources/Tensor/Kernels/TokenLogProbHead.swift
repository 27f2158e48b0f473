// The LM head's rows as the tiled log-probability loops (TokenLogProbKernels.swift) read them.

/// A [vocabulary, dim] head for the tiled log-prob kernels: Float32 rows read in place, or a
/// quantized table read one vocabulary tile at a time, so a 49,152-token table never exists
/// whole as Float32 (113 MB for SmolLM2). A tile's products read its blocks themselves where the
/// product kernels can (AVX-512; 32-value block types); otherwise its rows are dequantized into a
/// buffer the loop reuses. Either way the values are those `QuantizedMatrix.dequantized()` holds,
/// so the results equal those of the whole Float32 table.
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

    /// Whether a tile's products over `productRows` rows read the blocks themselves.
    private func multipliesBlocks(productRows: Int) -> Bool {
        guard case let .blocks(matrix) = source else { return false }
        return KernelMath.multipliesBlocks(of: matrix.type, rows: productRows)
    }

    /// Scratch for `tile(_:productRows:scratch:)`'s tiles of up to `rows` rows: nil when none is
    /// needed (a Float32 head, or products that read the blocks); the caller deallocates it.
    func allocateTileScratch(rows: Int, productRows: Int) -> UnsafeMutablePointer<Float>? {
        multipliesBlocks(productRows: productRows) ? nil : allocateScratch(rows: rows)
    }

    /// Rows `tile` for products over `productRows` rows: the blocks themselves when the product
    /// kernels read them (no Float32 copy of the tile), otherwise as `rows(_:scratch:)` gives them.
    func tile(_ tile: Range<Int>, productRows: Int, scratch: UnsafeMutablePointer<Float>?) -> TokenLogProbHeadTile {
        if case let .blocks(matrix) = source, multipliesBlocks(productRows: productRows) {
            return .blocks(matrix.rows(tile))
        }
        return .float32(rows(tile, scratch: scratch), rows: tile.count, dim: dim)
    }
}

/// A vocabulary tile of the head [rows, dim] as its products read it.
enum TokenLogProbHeadTile {
    case float32(UnsafePointer<Float>, rows: Int, dim: Int)
    case blocks(QuantizedMatrix)

    /// C = alpha · A · tileᵀ + beta · C, C [m, rows] and A [m, dim] (a tile of logits), or, not
    /// `transposed`, C = alpha · A · tile + beta · C, C [m, dim] and A [m, rows] (the tile's share
    /// of d hidden).
    func multiply(transposed: Bool, m: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int, beta: Float,
                  c: UnsafeMutablePointer<Float>, ldc: Int) {
        switch self {
        case let .float32(w, rows, dim):
            KernelMath.gemm(transposeA: false, transposeB: transposed, m: m, n: transposed ? rows : dim,
                            k: transposed ? dim : rows, alpha: alpha, a: a, lda: lda, b: w, ldb: dim,
                            beta: beta, c: c, ldc: ldc)
        case let .blocks(matrix):
            KernelMath.gemm(transposeA: false, m: m, alpha: alpha, a: a, lda: lda, weight: matrix,
                            transposeB: transposed, beta: beta, c: c, ldc: ldc)
        }
    }
}
