import Tensor

extension QuantizedMatrix {
    /// Normal values of standard deviation `deviation` (by default a weight's scale), quantized to
    /// `type`.
    static func random(_ type: GGMLType, rows: Int, columns: Int, seed: UInt64, deviation: Float = 0.05) -> QuantizedMatrix {
        var random = RandomStream(seed: seed)
        let values = (0..<(rows * columns)).map { _ in random.nextNormal() * deviation }
        var bytes = [UInt8](repeating: 0, count: type.byteCount(elements: rows * columns))
        values.withUnsafeBufferPointer { input in
            bytes.withUnsafeMutableBytes { _ = Quantizer.quantize(type, from: input.baseAddress!, count: input.count, into: $0.baseAddress!) }
        }
        return bytes.withUnsafeBytes { QuantizedMatrix(type: type, rows: rows, columns: columns, copying: $0)! }
    }
}
