/// A block format that can also be written from Float32, with ggml's reference rounding
/// (`quantize_row_*_ref`, bit-identical to gguf-py's `quantize`).
public protocol QuantizableBlock: QuantizedBlock {
    /// Encodes `type.blockSize` values from `input` into `type.typeSize` bytes at `block`.
    static func quantize(_ input: UnsafePointer<Float>, into block: UnsafeMutableRawPointer)
}

extension QuantizableBlock {
    /// Encodes `blockCount` consecutive blocks.
    public static func quantize(_ input: UnsafePointer<Float>, blocks blockCount: Int, into output: UnsafeMutableRawPointer) {
        for b in 0..<blockCount {
            quantize(input + b * type.blockSize, into: output + b * type.typeSize)
        }
    }
}

/// Stores for block encoders.
enum BlockStore {
    @inline(__always)
    static func half(_ value: Float, _ p: UnsafeMutableRawPointer, _ offset: Int) {
        p.storeBytes(of: HalfPrecision.float16(value).littleEndian, toByteOffset: offset, as: UInt16.self)
    }

    /// The value of largest magnitude, sign kept (the first one on ties), as ggml picks it.
    @inline(__always)
    static func signedMaximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var amax: Float = 0, max: Float = 0
        for j in 0..<n where amax < abs(x[j]) {
            amax = abs(x[j])
            max = x[j]
        }
        return max
    }

    /// `min(limit, trunc(v))` for the non-negative codes of Q4/Q5 (0 for NaN, never a trap).
    @inline(__always)
    static func code(_ v: Float, limit: Float) -> UInt8 {
        guard v.isFinite else { return 0 }
        return UInt8(Swift.min(limit, Swift.max(0, v.rounded(.towardZero))))
    }

    /// `1/d`, or 0 when `d` is 0.
    @inline(__always)
    static func inverse(_ d: Float) -> Float { d != 0 ? 1 / d : 0 }

    /// Packs 32 small codes: byte j = code j (low nibble) | code j+16 (high nibble).
    @inline(__always)
    static func packNibbles(_ q: [UInt8], _ p: UnsafeMutableRawPointer, _ offset: Int) {
        for j in 0..<16 {
            p.storeBytes(of: (q[j] & 0x0F) | ((q[j + 16] & 0x0F) << 4), toByteOffset: offset + j, as: UInt8.self)
        }
    }

    /// The fifth bits of 32 codes as a little-endian u32 (bit j from code j).
    @inline(__always)
    static func highBits(_ q: [UInt8], _ p: UnsafeMutableRawPointer, _ offset: Int) {
        var bits: UInt32 = 0
        for j in 0..<32 { bits |= UInt32((q[j] >> 4) & 1) << UInt32(j) }
        p.storeBytes(of: bits.littleEndian, toByteOffset: offset, as: UInt32.self)
    }
}

extension BlockQ8_0: QuantizableBlock {
    /// `d = amax/127`, `q = roundf(x · (1/d))` (halves away from zero).
    public static func quantize(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id = BlockStore.inverse(d)
        BlockStore.half(d, block, 0)
        for j in 0..<32 {
            let v = (x[j] * id).rounded(.toNearestOrAwayFromZero)
            block.storeBytes(of: v.isFinite ? Int8(Swift.min(127, Swift.max(-127, v))) : 0, toByteOffset: 2 + j, as: Int8.self)
        }
    }
}

extension BlockQ4_0: QuantizableBlock {
    /// `d = max/-8` (max = the value of largest magnitude), `q = min(15, trunc(x/d + 8.5))`.
    public static func quantize(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        let d = BlockStore.signedMaximum(x, 32) / -8
        let id = BlockStore.inverse(d)
        BlockStore.half(d, block, 0)
        BlockStore.packNibbles((0..<32).map { BlockStore.code(x[$0] * id + 8.5, limit: 15) }, block, 2)
    }
}

extension BlockQ4_1: QuantizableBlock {
    /// `d = (max-min)/15`, `m = min`, `q = min(15, trunc((x-min)/d + 0.5))`.
    public static func quantize(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        var lo = Float.greatestFiniteMagnitude, hi = -Float.greatestFiniteMagnitude
        for j in 0..<32 { lo = min(lo, x[j]); hi = max(hi, x[j]) }
        let d = (hi - lo) / 15
        let id = BlockStore.inverse(d)
        BlockStore.half(d, block, 0)
        BlockStore.half(lo, block, 2)
        BlockStore.packNibbles((0..<32).map { BlockStore.code((x[$0] - lo) * id + 0.5, limit: 15) }, block, 4)
    }
}

extension BlockQ5_0: QuantizableBlock {
    /// `d = max/-16`, `q = min(31, trunc(x/d + 16.5))`, fifth bits in `qh`.
    public static func quantize(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        let d = BlockStore.signedMaximum(x, 32) / -16
        let id = BlockStore.inverse(d)
        let q = (0..<32).map { BlockStore.code(x[$0] * id + 16.5, limit: 31) }
        BlockStore.half(d, block, 0)
        BlockStore.highBits(q, block, 2)
        BlockStore.packNibbles(q, block, 6)
    }
}

extension BlockQ5_1: QuantizableBlock {
    /// `d = (max-min)/31`, `m = min`, `q = min(31, trunc((x-min)/d + 0.5))`, fifth bits in `qh`.
    public static func quantize(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        var lo = Float.greatestFiniteMagnitude, hi = -Float.greatestFiniteMagnitude
        for j in 0..<32 { lo = min(lo, x[j]); hi = max(hi, x[j]) }
        let d = (hi - lo) / 31
        let id = BlockStore.inverse(d)
        let q = (0..<32).map { BlockStore.code((x[$0] - lo) * id + 0.5, limit: 31) }
        BlockStore.half(d, block, 0)
        BlockStore.half(lo, block, 2)
        BlockStore.highBits(q, block, 4)
        BlockStore.packNibbles(q, block, 8)
    }
}
