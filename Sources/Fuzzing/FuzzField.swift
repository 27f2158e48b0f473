/// A number inside a binary seed that the structure-aware mutator may set to an edge value: a
/// length, a count, a type tag, a dimension or an offset, `width` bytes little-endian at `offset`.
struct FuzzField: Sendable {
    enum Kind: Sendable { case length, count, typeTag, dimension, offset, value }

    var offset: Int
    var width: Int
    var kind: Kind

    /// The values that break readers most often, for a field of `width` bytes holding `current`:
    /// 0, 1, −1, the signed and unsigned extremes, 2^31−1, 2^63, off-by-ones, and the file size.
    static func edgeValues(width: Int, current: UInt64, fileSize: Int) -> [UInt64] {
        let bits = UInt64(width * 8)
        let mask: UInt64 = bits >= 64 ? .max : (1 << bits) - 1
        var values: [UInt64] = [
            0, 1, 2, 3, 4, 7, 8, 16, 255, 256, 1 << 16, 1 << 20,
            mask, mask - 1, mask >> 1, (mask >> 1) + 1,           // −1, −2, signed max, signed min
            UInt64(Int32.max), UInt64(Int32.max) + 1, UInt64(UInt32.max), UInt64(UInt32.max) + 1,
            UInt64(Int64.max), 1 << 63, UInt64(Int64.max) - 7, 1 << 62,
            current &+ 1, current &- 1, current &* 2, current / 2, current &+ 8, current &* 1024,
            UInt64(fileSize), UInt64(fileSize) &+ 1, UInt64(fileSize) &- 1, UInt64(fileSize) &* 8,
        ]
        values = values.map { $0 & mask }
        return values
    }
}

/// Little-endian reads and writes of fields in a byte array (bounds-checked: the harness's own
/// code must never be what crashes).
enum FuzzBytes {
    static func load(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64? {
        guard offset >= 0, width > 0, width <= 8, offset <= bytes.count - width else { return nil }
        var value: UInt64 = 0
        for i in 0..<width { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return value
    }

    static func store(_ value: UInt64, into bytes: inout [UInt8], at offset: Int, width: Int) {
        guard offset >= 0, width > 0, width <= 8, offset <= bytes.count - width else { return }
        for i in 0..<width { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
