/// A weight matrix [rows, columns] kept as ggml blocks: a GGUF tensor's bytes, with rows in the
/// order the model uses them. Immutable. `quantizedLinear` multiplies a few rows by the blocks
/// directly (5 bits a value for Q4_1 instead of 32); `linear(_:dequantizing:)` multiplies many
/// rows by dequantizing a tile of rows at a time, so no Float32 copy of the whole matrix exists.
public final class QuantizedMatrix: @unchecked Sendable {
    public let type: GGMLType
    public let rows: Int
    public let columns: Int
    /// The blocks, row after row: an owned buffer, or bytes of a file mapping kept alive by
    /// `owner`.
    public let bytes: UnsafeRawBufferPointer
    /// What keeps borrowed `bytes` valid (a mapped file); nil when the buffer is owned.
    private let owner: AnyObject?
    /// The interleaved copy of the blocks, while one is kept (`keepInterleavedCopy`).
    let interleavedSlot = InterleavedSlot()

    /// True when `quantizedLinear` has a kernel for `type` and rows of `columns` values.
    public static func supports(_ type: GGMLType, columns: Int) -> Bool {
        quantizedLinearTypes.contains(type) && columns > 0 && columns % type.blockSize == 0
    }

    /// Copies `blocks`, the `rows · columns` values of a `type` matrix. Nil when the type has no
    /// kernel (see `supports`) or the byte count does not match the shape.
    public init?(type: GGMLType, rows: Int, columns: Int, copying blocks: UnsafeRawBufferPointer) {
        guard QuantizedMatrix.fits(type: type, rows: rows, columns: columns, byteCount: blocks.count),
              let source = blocks.baseAddress else { return nil }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: blocks.count, alignment: TensorStorage.alignment)
        buffer.copyMemory(from: source, byteCount: blocks.count)
        self.type = type
        self.rows = rows
        self.columns = columns
        bytes = UnsafeRawBufferPointer(start: buffer, count: blocks.count)
        owner = nil
    }

    /// Uses `blocks` in place (no copy): bytes inside a file mapping that `owner` keeps alive
    /// for as long as this matrix lives. Only the pages the products read become resident.
    /// Nil under the same conditions as `init(type:rows:columns:copying:)`.
    public init?(type: GGMLType, rows: Int, columns: Int, borrowing blocks: UnsafeRawBufferPointer, owner: AnyObject) {
        guard QuantizedMatrix.fits(type: type, rows: rows, columns: columns, byteCount: blocks.count),
              blocks.baseAddress != nil else { return nil }
        self.type = type
        self.rows = rows
        self.columns = columns
        bytes = blocks
        self.owner = owner
    }

    private static func fits(type: GGMLType, rows: Int, columns: Int, byteCount: Int) -> Bool {
        supports(type, columns: columns) && rows > 0 && byteCount == type.byteCount(elements: rows * columns)
    }

    /// [rows, columns], as a `Tensor` of the dequantized values would have.
    public var shape: [Int] { [rows, columns] }

    /// Bytes of one row of blocks.
    public var bytesPerRow: Int { type.byteCount(elements: columns) }

    /// Writes rows `range` as Float32, row after row, to `output` (`range.count · columns` floats).
    public func dequantizeRows(_ range: Range<Int>, into output: UnsafeMutablePointer<Float>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "QuantizedMatrix: rows \(range) outside 0..<\(rows)")
        guard !range.isEmpty else { return }
        Dequantizer.dequantize(type, from: bytes.baseAddress! + range.lowerBound * bytesPerRow,
                               count: range.count * columns, into: output)
    }

    /// Writes columns `range` (block-aligned: both bounds multiples of the block size, or the
    /// end equal to `columns`) of every row as Float32 to `output`, row r at `output + r · stride`.
    public func dequantizeColumns(_ range: Range<Int>, into output: UnsafeMutablePointer<Float>, stride: Int) {
        let blockSize = type.blockSize
        precondition(range.lowerBound % blockSize == 0 && range.upperBound % blockSize == 0 && range.upperBound <= columns,
                     "QuantizedMatrix: columns \(range) are not whole \(type) blocks of 0..<\(columns)")
        guard !range.isEmpty else { return }
        let offset = type.byteCount(elements: range.lowerBound), rowBytes = bytesPerRow
        let base = bytes.baseAddress!
        for row in 0..<rows {
            Dequantizer.dequantize(type, from: base + row * rowBytes + offset, count: range.count,
                                   into: output + row * stride)
        }
    }

    /// Rows `range` as a matrix of their own, sharing these blocks (no copy).
    public func rows(_ range: Range<Int>) -> QuantizedMatrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows && !range.isEmpty,
                     "QuantizedMatrix: rows \(range) outside 0..<\(rows)")
        let start = bytes.baseAddress! + range.lowerBound * bytesPerRow
        return QuantizedMatrix(type: type, rows: range.count, columns: columns,
                               borrowing: UnsafeRawBufferPointer(start: start, count: range.count * bytesPerRow),
                               owner: self)!
    }

    /// All values as a new Float32 tensor [rows, columns] (for export and merging, not products).
    public func dequantized() -> Tensor {
        let tensor = Tensor(shape: shape, storage: TensorStorage(uninitializedCount: rows * columns))
        tensor.withUnsafeMutableBufferPointer { dequantizeRows(0..<rows, into: $0.baseAddress!) }
        return tensor
    }

    deinit {
        if owner == nil { UnsafeMutableRawPointer(mutating: bytes.baseAddress!).deallocate() }
    }
}
