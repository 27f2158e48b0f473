/// Q4_0: 32 values as `(nibble - 8) * d`; fp16 `d`, then 16 bytes whose low nibbles are
/// elements 0–15 and high nibbles elements 16–31 (18 bytes).
public enum BlockQ4_0: QuantizedBlock {
    public static let type = GGMLType.q4_0

    @inlinable
    public static func dequantize(block: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        for j in 0..<16 {
            let q = BlockBytes.byte(block, 2 + j)
            output[j] = Float(Int(q & 0x0F) - 8) * d
            output[j + 16] = Float(Int(q >> 4) - 8) * d
        }
    }
}
