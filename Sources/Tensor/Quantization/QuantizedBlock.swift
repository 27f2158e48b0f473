/// A ggml quantization format: a fixed-size block of bytes that decodes to a fixed number of
/// floats. Adding a type means adding one conforming enum and one line in `Dequantizer`; code
/// that consumes rows (dequantized loading, a future quantized matmul) never changes.
public protocol QuantizedBlock {
    /// The ggml type this block implements.
    static var type: GGMLType { get }
    /// Writes the block's `type.blockSize` values to `output`. `block` points at `type.typeSize`
    /// bytes and need not be aligned.
    static func dequantize(block: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>)
}

extension QuantizedBlock {
    /// Dequantizes `blockCount` consecutive blocks.
    @inlinable
    public static func dequantize(blocks: UnsafeRawPointer, count blockCount: Int, into output: UnsafeMutablePointer<Float>) {
        let stride = type.typeSize
        let width = type.blockSize
        for b in 0..<blockCount {
            dequantize(block: blocks + b * stride, into: output + b * width)
        }
    }
}

/// Little-endian reads from unaligned block memory.
@usableFromInline
enum BlockBytes {
    @inlinable @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
    }

    @inlinable @inline(__always)
    static func uint32(_ p: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inlinable @inline(__always)
    static func byte(_ p: UnsafeRawPointer, _ offset: Int) -> UInt8 {
        p.load(fromByteOffset: offset, as: UInt8.self)
    }
}
