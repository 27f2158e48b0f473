/// Q5_0: 32 values as `(q - 16) * d` with 5-bit `q`: fp16 `d`, a little-endian u32 of high bits
/// (bit j for element j), then 16 bytes of low nibbles (low = 0–15, high = 16–31) (22 bytes).
public enum BlockQ5_0: QuantizedBlock {
    public static let type = GGMLType.q5_0

    @inlinable
    public static func dequantize(block: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        let qh = BlockBytes.uint32(block, 2)
        for j in 0..<16 {
            let q = BlockBytes.byte(block, 6 + j)
            let high0 = Int((qh >> UInt32(j)) & 1) << 4
            let high1 = Int((qh >> UInt32(j + 16)) & 1) << 4
            output[j] = Float((Int(q & 0x0F) | high0) - 16) * d
            output[j + 16] = Float((Int(q >> 4) | high1) - 16) * d
        }
    }
}
