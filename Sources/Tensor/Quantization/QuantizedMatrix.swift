/// A weight matrix [rows, columns] kept as ggml blocks: a GGUF tensor's bytes, with rows in the
/// order the model uses them. Immutable; multiplied by `quantizedLinear`, which reads the blocks
/// directly instead of a Float32 copy (5 bits a value for Q4_1 instead of 32).
public final class QuantizedMatrix: @unchecked Sendable {
    public let type: GGMLType
    public let rows: Int
    public let columns: Int
    /// The blocks, row after row, in an owned 64-byte aligned buffer.
    public let bytes: UnsafeRawBufferPointer

    /// True when `quantizedLinear` has a kernel for `type` and rows of `columns` values.
    public static func supports(_ type: GGMLType, columns: Int) -> Bool {
        quantizedLinearTypes.contains(type) && columns > 0 && columns % type.blockSize == 0
    }

    /// Copies `blocks`, the `rows · columns` values of a `type` matrix. Nil when the type has no
    /// kernel (see `supports`) or the byte count does not match the shape.
    public init?(type: GGMLType, rows: Int, columns: Int, copying blocks: UnsafeRawBufferPointer) {
        guard QuantizedMatrix.supports(type, columns: columns), rows > 0,
              blocks.count == type.byteCount(elements: rows * columns), let source = blocks.baseAddress else { return nil }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: blocks.count, alignment: TensorStorage.alignment)
        buffer.copyMemory(from: source, byteCount: blocks.count)
        self.type = type
        self.rows = rows
        self.columns = columns
        bytes = UnsafeRawBufferPointer(start: buffer, count: blocks.count)
    }

    /// [rows, columns], as a `Tensor` of the dequantized values would have.
    public var shape: [Int] { [rows, columns] }

    deinit {
        UnsafeMutableRawPointer(mutating: bytes.baseAddress!).deallocate()
    }
}
