/// Turns Float32 rows into stored rows of a ggml type (for writing GGUF files).
public enum Quantizer {
    /// The types this build can write.
    public static let supportedTypes: [GGMLType] = [
        .f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K,
    ]

    /// True when `type` can be written.
    public static func supports(_ type: GGMLType) -> Bool { supportedTypes.contains(type) }

    /// Encodes `count` values (a multiple of the block size) into `type.byteCount(elements: count)`
    /// bytes at `output`. Returns false, writing nothing, when the type cannot be written.
    @discardableResult
    public static func quantize(_ type: GGMLType, from input: UnsafePointer<Float>, count: Int,
                                into output: UnsafeMutableRawPointer) -> Bool {
        let blocks = count / type.blockSize
        switch type {
        case .f32:
            output.copyMemory(from: input, byteCount: count * 4)
        case .f16:
            for i in 0..<count {
                output.storeBytes(of: HalfPrecision.float16(input[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
        case .bf16:
            for i in 0..<count {
                output.storeBytes(of: HalfPrecision.bfloat16(input[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
        case .q8_0: BlockQ8_0.quantize(input, blocks: blocks, into: output)
        case .q4_0: BlockQ4_0.quantize(input, blocks: blocks, into: output)
        case .q4_1: BlockQ4_1.quantize(input, blocks: blocks, into: output)
        case .q5_0: BlockQ5_0.quantize(input, blocks: blocks, into: output)
        case .q5_1: BlockQ5_1.quantize(input, blocks: blocks, into: output)
        case .q4_K: BlockQ4_K.quantize(input, blocks: blocks, into: output)
        case .q5_K: BlockQ5_K.quantize(input, blocks: blocks, into: output)
        case .q6_K: BlockQ6_K.quantize(input, blocks: blocks, into: output)
        default: return false
        }
        return true
    }
}
