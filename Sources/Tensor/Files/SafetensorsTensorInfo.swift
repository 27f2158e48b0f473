/// One tensor entry of a safetensors header.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    /// Row-major shape.
    public let shape: [Int]
    /// `data_offsets` as written: relative to the start of the data section.
    public let dataOffsets: Range<Int>
    /// The absolute byte range in the file.
    public let byteRange: Range<Int>

    /// The number of elements.
    public var elementCount: Int { shape.reduce(1, *) }

    public init(name: String, dtype: SafetensorsDType, shape: [Int], dataOffsets: Range<Int>, byteRange: Range<Int>) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.dataOffsets = dataOffsets
        self.byteRange = byteRange
    }
}
