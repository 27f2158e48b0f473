/// A 32-value block format that decodes a whole block into SIMD registers, exactly as
/// `dequantize(block:into:)` computes each value (`Float(q) * d + m` in Float32), so a quantized
/// matrix product built on it differs from the Float32 one only in the order of its sums.
/// The quantized matmul (`quantizedLinearForward`) is generic over this; a new type adds one
/// conformance and one line in its dispatch.
public protocol VectorDecodableBlock: QuantizedBlock {
    /// The block's values 0–15 and 16–31. `halves` is `HalfTable.floats`.
    static func decode(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>) -> (low: SIMD16<Float>, high: SIMD16<Float>)
}

extension BlockQ8_0: VectorDecodableBlock {
    @inline(__always)
    public static func decode(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>) -> (low: SIMD16<Float>, high: SIMD16<Float>) {
        let d = SIMD16<Float>(repeating: HalfTable.half(halves, block, 0))
        let low = block.loadUnaligned(fromByteOffset: 2, as: SIMD16<Int8>.self)
        let high = block.loadUnaligned(fromByteOffset: 18, as: SIMD16<Int8>.self)
        return (LaneConversion.floats(low) * d,
                LaneConversion.floats(high) * d)
    }
}

extension BlockQ4_0: VectorDecodableBlock {
    @inline(__always)
    public static func decode(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>) -> (low: SIMD16<Float>, high: SIMD16<Float>) {
        let d = SIMD16<Float>(repeating: HalfTable.half(halves, block, 0))
        let q = block.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
        let eight = SIMD16<Float>(repeating: 8)
        return ((LaneConversion.floats(q & 0x0F) - eight) * d, (LaneConversion.floats(q &>> 4) - eight) * d)
    }
}

extension BlockQ4_1: VectorDecodableBlock {
    @inline(__always)
    public static func decode(_ block: UnsafeRawPointer, halves: UnsafePointer<Float>) -> (low: SIMD16<Float>, high: SIMD16<Float>) {
        let d = SIMD16<Float>(repeating: HalfTable.half(halves, block, 0))
        let m = SIMD16<Float>(repeating: HalfTable.half(halves, block, 2))
        let q = block.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self)
        return (LaneConversion.floats(q & 0x0F) * d + m, LaneConversion.floats(q &>> 4) * d + m)
    }
}

/// Byte lanes to Float lanes. Written as lane loops, which the compiler turns into widening
/// shuffles and `cvtdq2ps`; the standard library's generic `SIMD16<Float>(SIMD16<Int32>(...))`
/// stays an out-of-line call per block.
enum LaneConversion {
    @inline(__always)
    static func floats(_ bytes: SIMD16<UInt8>) -> SIMD16<Float> {
        var wide = SIMD16<Int32>()
        for i in 0..<16 { wide[i] = Int32(bytes[i]) }
        var result = SIMD16<Float>()
        for i in 0..<16 { result[i] = Float(wide[i]) }
        return result
    }

    @inline(__always)
    static func floats(_ bytes: SIMD16<Int8>) -> SIMD16<Float> {
        var wide = SIMD16<Int32>()
        for i in 0..<16 { wide[i] = Int32(bytes[i]) }
        var result = SIMD16<Float>()
        for i in 0..<16 { result[i] = Float(wide[i]) }
        return result
    }
}

/// Every IEEE half as a Float, so hot loops convert block scales with one load instead of a
/// library call (x86-64's baseline has no F16C instruction). Built once with `Float(Float16)`,
/// hence exact.
public enum HalfTable {
    /// 65,536 floats indexed by the half's bit pattern.
    nonisolated(unsafe) public static let floats: UnsafePointer<Float> = {
        let table = UnsafeMutablePointer<Float>.allocate(capacity: 65_536)
        for bits in 0..<65_536 { table[bits] = Float(Float16(bitPattern: UInt16(bits))) }
        return UnsafePointer(table)
    }()

    /// The little-endian half at `offset` in `block`, through `table`.
    @inline(__always)
    public static func half(_ table: UnsafePointer<Float>, _ block: UnsafeRawPointer, _ offset: Int) -> Float {
        table[Int(UInt16(littleEndian: block.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))]
    }
}
