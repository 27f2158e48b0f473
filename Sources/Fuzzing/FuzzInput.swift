/// One seed a target mutates: real bytes (a model file, a config, a template…), the numeric
/// fields its format defines (for structure-aware mutation) and how often it is picked.
public struct FuzzSeed {
    public var name: String
    public var bytes: [UInt8]
    var fields: [FuzzField] = []
    /// Relative frequency; large seeds that are slow to read get a small weight.
    var weight = 10
    /// When set, the input file is extended with zeros to this size (a large model file's header
    /// is mutated; its tensor data need not be copied for every input).
    public var paddedSize: Int?
}

/// One generated input: the bytes, and the size the file is padded to with zeros.
public struct FuzzInput {
    public var bytes: [UInt8]
    public var paddedSize: Int?
    /// Which seed it came from and the mutations applied, for the crash report.
    public var origin: String

    public init(bytes: [UInt8], paddedSize: Int?, origin: String) {
        self.bytes = bytes
        self.paddedSize = paddedSize
        self.origin = origin
    }
}

/// Several files in one input (a config folder, an adapter folder, the frames of a wire
/// message): `u32 count`, then per part `u32 length` and the bytes, little-endian. Decoding is
/// lenient (counts and lengths are clamped to what is there) so any byte string is a container.
enum FuzzContainer {
    static func encode(_ parts: [[UInt8]]) -> [UInt8] {
        var out = FuzzBytes.littleEndian(UInt32(parts.count))
        for part in parts { out += FuzzBytes.littleEndian(UInt32(part.count)) + part }
        return out
    }

    static func decode(_ bytes: [UInt8]) -> [[UInt8]] {
        guard let declared = FuzzBytes.load(bytes, at: 0, width: 4) else { return [] }
        var parts: [[UInt8]] = []
        var offset = 4
        for _ in 0..<min(Int(declared), 4096) {
            guard let length = FuzzBytes.load(bytes, at: offset, width: 4) else { break }
            offset += 4
            let end = offset + min(Int(length), bytes.count - offset)
            parts.append(Array(bytes[offset..<end]))
            offset = end
        }
        return parts
    }

    /// The count and length fields of an encoded container.
    static func fields(_ bytes: [UInt8]) -> [FuzzField] {
        var fields = [FuzzField(offset: 0, width: 4, kind: .count)]
        var offset = 4
        for part in decode(bytes) {
            fields.append(FuzzField(offset: offset, width: 4, kind: .length))
            offset += 4 + part.count
        }
        return fields
    }
}
