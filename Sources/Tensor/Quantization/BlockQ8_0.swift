/// Q8_0: 32 values as `d * q` with an fp16 scale `d` and int8 `q[32]` (34 bytes).
public enum BlockQ8_0: QuantizedBlock {
    public static let type = GGMLType.q8_0

    @inlinable
    public static func dequantize(block: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        let qs = (block + 2).assumingMemoryBound(to: Int8.self)
        for j in 0..<32 { output[j] = Float(qs[j]) * d }
    }
}
