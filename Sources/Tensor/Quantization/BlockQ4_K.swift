/// Q4_K: 256 values in 8 sub-blocks of 32, each `d * scale_j * q - dmin * min_j`: fp16 `d`,
/// fp16 `dmin`, 12 bytes of 6-bit scales/mins, 128 bytes of nibbles (144 bytes). In each 64-value
/// chunk c, byte `qs[32c + l]` holds element 64c + l (low nibble) and 64c + 32 + l (high).
public enum BlockQ4_K: QuantizedBlock {
    public static let type = GGMLType.q4_K

    @inlinable
    public static func dequantize(block: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        let dmin = BlockBytes.half(block, 2)
        let scales = block + 4
        let qs = block + 16
        for chunk in 0..<4 {
            let (s1, m1) = KQuantScales.scaleAndMin(2 * chunk, scales)
            let (s2, m2) = KQuantScales.scaleAndMin(2 * chunk + 1, scales)
            let d1 = d * s1, min1 = dmin * m1
            let d2 = d * s2, min2 = dmin * m2
            let out = output + 64 * chunk
            for l in 0..<32 {
                let q = BlockBytes.byte(qs, 32 * chunk + l)
                out[l] = d1 * Float(q & 0x0F) - min1
                out[l + 32] = d2 * Float(q >> 4) - min2
            }
        }
    }
}
