/// Q4_1: 32 values as `nibble * d + m`; fp16 `d` and `m`, then 16 bytes of nibbles
/// (low = elements 0–15, high = 16–31) (20 bytes).
public enum BlockQ4_1: QuantizedBlock {
    public static let type = GGMLType.q4_1

    @inlinable
    public static func dequantize(block: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        let m = BlockBytes.half(block, 2)
        for j in 0..<16 {
            let q = BlockBytes.byte(block, 4 + j)
            output[j] = Float(q & 0x0F) * d + m
            output[j + 16] = Float(q >> 4) * d + m
        }
    }
}
