/// Q5_1: 32 values as `q * d + m` with 5-bit `q`: fp16 `d` and `m`, a little-endian u32 of high
/// bits, then 16 bytes of low nibbles (24 bytes).
public enum BlockQ5_1: QuantizedBlock {
    public static let type = GGMLType.q5_1

    @inlinable
    public static func dequantize(block: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        let m = BlockBytes.half(block, 2)
        let qh = BlockBytes.uint32(block, 4)
        for j in 0..<16 {
            let q = BlockBytes.byte(block, 8 + j)
            let high0 = UInt32((qh >> UInt32(j)) & 1) << 4
            let high1 = UInt32((qh >> UInt32(j + 16)) & 1) << 4
            output[j] = Float(UInt32(q & 0x0F) | high0) * d + m
            output[j + 16] = Float(UInt32(q >> 4) | high1) * d + m
        }
    }
}
