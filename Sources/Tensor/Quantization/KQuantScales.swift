/// The 6-bit sub-block scales and mins of Q4_K and Q5_K: 12 bytes pack 8 (scale, min) pairs
/// (ggml's `get_scale_min_k4`).
@usableFromInline
enum KQuantScales {
    @inlinable @inline(__always)
    static func scaleAndMin(_ j: Int, _ q: UnsafeRawPointer) -> (scale: Float, min: Float) {
        let b = { (i: Int) -> UInt8 in q.load(fromByteOffset: i, as: UInt8.self) }
        if j < 4 {
            return (Float(b(j) & 63), Float(b(j + 4) & 63))
        }
        let scale = (b(j + 4) & 0x0F) | ((b(j - 4) >> 6) << 4)
        let min = (b(j + 4) >> 4) | ((b(j) >> 6) << 4)
        return (Float(scale), Float(min))
    }
}
