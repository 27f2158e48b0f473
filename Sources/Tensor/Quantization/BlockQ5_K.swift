/// Q5_K: like Q4_K with a fifth bit per value: fp16 `d`, fp16 `dmin`, 12 bytes of scales/mins,
/// `qh[32]`, `qs[128]` (176 bytes). In chunk c, bit 2c of `qh[l]` tops the low-nibble value and
/// bit 2c+1 the high-nibble value.
public enum BlockQ5_K: QuantizedBlock {
    public static let type = GGMLType.q5_K

    @inlinable
    public static func dequantize(block: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 0)
        let dmin = BlockBytes.half(block, 2)
        let scales = block + 4
        let qh = block + 16
        let qs = block + 48
        for chunk in 0..<4 {
            let (s1, m1) = KQuantScales.scaleAndMin(2 * chunk, scales)
            let (s2, m2) = KQuantScales.scaleAndMin(2 * chunk + 1, scales)
            let d1 = d * s1, min1 = dmin * m1
            let d2 = d * s2, min2 = dmin * m2
            let lowBit = UInt8(1) << UInt8(2 * chunk)
            let highBit = UInt8(1) << UInt8(2 * chunk + 1)
            let out = output + 64 * chunk
            for l in 0..<32 {
                let q = BlockBytes.byte(qs, 32 * chunk + l)
                let h = BlockBytes.byte(qh, l)
                out[l] = d1 * Float(Int(q & 0x0F) + (h & lowBit != 0 ? 16 : 0)) - min1
                out[l + 32] = d2 * Float(Int(q >> 4) + (h & highBit != 0 ? 16 : 0)) - min2
            }
        }
    }
}
