/// Dequantized access to GGUF tensors, row by row or whole.
extension GGUFFile {
    /// Writes row `row` of `info` (its `rowLength` values) as Float32 into `output`.
    /// A quantized matmul can call this per row instead of dequantizing the whole tensor.
    public func dequantizeRow(_ info: GGUFTensorInfo, row: Int, into output: UnsafeMutableBufferPointer<Float>) throws {
        try dequantizeRows(info, rows: row..<row + 1, into: output)
    }

    /// Writes rows `rows` of `info` (`rows.count * rowLength` values) as Float32 into `output`.
    public func dequantizeRows(_ info: GGUFTensorInfo, rows: Range<Int>,
                               into output: UnsafeMutableBufferPointer<Float>) throws {
        guard Dequantizer.supports(info.type) else {
            throw GGUFError.unsupportedTensorType(tensor: info.name, type: info.type)
        }
        guard rows.lowerBound >= 0, rows.upperBound <= info.rowCount else {
            throw GGUFError.rowOutOfRange(tensor: info.name, row: rows.lowerBound < 0 ? rows.lowerBound : rows.upperBound - 1,
                                          rows: info.rowCount)
        }
        let needed = rows.count * info.rowLength
        guard output.count >= needed, let destination = output.baseAddress else {
            if needed == 0 { return }
            throw GGUFError.outputTooSmall(tensor: info.name, needed: needed, given: output.count)
        }
        guard let base = file.bytes.baseAddress else { return }
        let source = base + info.byteRange.lowerBound + rows.lowerBound * info.bytesPerRow
        Dequantizer.dequantize(info.type, from: source, count: needed, into: destination)
    }

    /// The whole tensor `info` as Float32 values in row-major (HF) order.
    public func dequantized(_ info: GGUFTensorInfo) throws -> [Float] {
        var values = [Float](repeating: 0, count: info.elementCount)
        try values.withUnsafeMutableBufferPointer { try dequantizeAll(info, into: $0) }
        return values
    }

    /// The tensor called `name`, dequantized to a Float32 `Tensor` of shape `info.shape` (HF order:
    /// a GGUF `ne = [576, 49152]` becomes `[49152, 576]`). Q/K rows stay in the file's order.
    public func tensor(named name: String) throws -> Tensor {
        try tensor(requireTensorInfo(named: name))
    }

    /// The tensor described by `info`, dequantized to Float32.
    public func tensor(_ info: GGUFTensorInfo) throws -> Tensor {
        guard Dequantizer.supports(info.type) else {
            throw GGUFError.unsupportedTensorType(tensor: info.name, type: info.type)
        }
        let storage = TensorStorage(uninitializedCount: info.elementCount)
        try dequantizeAll(info, into: storage.buffer)
        return Tensor(shape: info.shape, storage: storage)
    }

    /// Dequantizes every row, splitting large tensors across cores by rows.
    private func dequantizeAll(_ info: GGUFTensorInfo, into output: UnsafeMutableBufferPointer<Float>) throws {
        guard Dequantizer.supports(info.type) else {
            throw GGUFError.unsupportedTensorType(tensor: info.name, type: info.type)
        }
        guard info.elementCount > 0, let destination = output.baseAddress,
              let base = file.bytes.baseAddress else { return }
        let rowLength = info.rowLength, bytesPerRow = info.bytesPerRow
        let source = base + info.byteRange.lowerBound
        let minimumRows = max(1, 65_536 / max(rowLength, 1))
        Parallel.forEachChunk(count: info.rowCount, minimumChunk: minimumRows) { rows in
            Dequantizer.dequantize(info.type, from: source + rows.lowerBound * bytesPerRow,
                                   count: rows.count * rowLength,
                                   into: destination + rows.lowerBound * rowLength)
        }
    }
}
