/// Turns stored rows of any supported ggml type into Float32.
public enum Dequantizer {
    /// The types this build can dequantize.
    public static let supportedTypes: [GGMLType] = [
        .f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K,
    ]

    /// True when `type` can be dequantized.
    public static func supports(_ type: GGMLType) -> Bool { supportedTypes.contains(type) }

    /// Dequantizes `count` elements (a multiple of the block size) stored as `type` at `source`.
    /// Returns false, writing nothing, when the type is not supported.
    @discardableResult
    public static func dequantize(_ type: GGMLType, from source: UnsafeRawPointer, count: Int,
                                  into output: UnsafeMutablePointer<Float>) -> Bool {
        let blocks = count / type.blockSize
        switch type {
        case .f32:
            UnsafeMutableRawPointer(output).copyMemory(from: source, byteCount: count * 4)
        case .f16:
            for i in 0..<count { output[i] = BlockBytes.half(source, 2 * i) }
        case .bf16:
            for i in 0..<count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                output[i] = Float(bitPattern: UInt32(bits) << 16)
            }
        case .q8_0: BlockQ8_0.dequantize(blocks: source, count: blocks, into: output)
        case .q4_0: BlockQ4_0.dequantize(blocks: source, count: blocks, into: output)
        case .q4_1: BlockQ4_1.dequantize(blocks: source, count: blocks, into: output)
        case .q5_0: BlockQ5_0.dequantize(blocks: source, count: blocks, into: output)
        case .q5_1: BlockQ5_1.dequantize(blocks: source, count: blocks, into: output)
        case .q4_K: BlockQ4_K.dequantize(blocks: source, count: blocks, into: output)
        case .q5_K: BlockQ5_K.dequantize(blocks: source, count: blocks, into: output)
        case .q6_K: BlockQ6_K.dequantize(blocks: source, count: blocks, into: output)
        default: return false
        }
        return true
    }
}
