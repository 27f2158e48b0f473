/// Where one tensor lives in a GGUF file and how it is stored.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The GGUF tensor name, e.g. `blk.0.attn_q.weight`.
    public let name: String
    /// ggml's dimensions `ne`: `ne[0]` is the contiguous row length.
    public let dimensions: [Int]
    /// The storage type.
    public let type: GGMLType
    /// The start offset relative to the data section, as written in the file.
    public let offset: Int
    /// The absolute byte range of the tensor's data in the file.
    public let byteRange: Range<Int>

    /// The row-major shape in Hugging Face / numpy order (`dimensions` reversed):
    /// `ne = [576, 49152]` is the `[49152, 576]` matrix.
    public var shape: [Int] { dimensions.reversed() }

    /// The number of elements.
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// Elements per row (`ne[0]`).
    public var rowLength: Int { dimensions.first ?? 1 }

    /// The number of rows of `rowLength` elements.
    public var rowCount: Int { rowLength == 0 ? 0 : elementCount / rowLength }

    /// Bytes per row; quant blocks run along the row.
    public var bytesPerRow: Int { type.byteCount(elements: rowLength) }

    /// Bytes the whole tensor takes.
    public var byteCount: Int { byteRange.count }

    public init(name: String, dimensions: [Int], type: GGMLType, offset: Int, byteRange: Range<Int>) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.byteRange = byteRange
    }
}
