/// Q6_K: 256 values as `d * scale * (q - 32)` with 6-bit `q`: `ql[128]` (low 4 bits), `qh[64]`
/// (high 2 bits), int8 `scales[16]`, then fp16 `d` at the end (210 bytes).
public enum BlockQ6_K: QuantizedBlock {
    public static let type = GGMLType.q6_K

    @inlinable
    public static func dequantize(block: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>) {
        let d = BlockBytes.half(block, 208)
        let scales = (block + 192).assumingMemoryBound(to: Int8.self)
        for half in 0..<2 {
            let ql = block + 64 * half
            let qh = block + 128 + 32 * half
            let sc = scales + 8 * half
            let out = output + 128 * half
            for l in 0..<32 {
                let i = l / 16
                let low0 = BlockBytes.byte(ql, l), low1 = BlockBytes.byte(ql, l + 32)
                let high = BlockBytes.byte(qh, l)
                let q1 = Int((low0 & 0x0F) | ((high & 3) << 4)) - 32
                let q2 = Int((low1 & 0x0F) | (((high >> 2) & 3) << 4)) - 32
                let q3 = Int((low0 >> 4) | (((high >> 4) & 3) << 4)) - 32
                let q4 = Int((low1 >> 4) | (((high >> 6) & 3) << 4)) - 32
                out[l] = d * Float(sc[i]) * Float(q1)
                out[l + 32] = d * Float(sc[i + 2]) * Float(q2)
                out[l + 64] = d * Float(sc[i + 4]) * Float(q3)
                out[l + 96] = d * Float(sc[i + 6]) * Float(q4)
            }
        }
    }
}
