import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a GGUF v3 file: metadata in insertion order, tensor infos, then the data, each tensor
/// aligned to `alignment` with zero padding (as gguf-py writes it). Written atomically.
///
/// ```swift
/// var writer = GGUFWriter()
/// writer.set("general.architecture", .string("llama"))
/// try writer.addTensor("token_embd.weight", embedding, as: .q8_0)   // shape [49152, 576]
/// try writer.write(to: url)
/// ```
public struct GGUFWriter {
    private struct Entry {
        var name: String
        var dimensions: [Int]
        var type: GGMLType
        var bytes: [UInt8]
    }

    /// Data alignment; written as `general.alignment` when not 32.
    public var alignment = 32
    private var metadata: [(String, GGUFValue)] = []
    private var tensors: [Entry] = []

    public init() {}

    /// Sets a metadata value (replacing an earlier one with the same key, keeping its position).
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let i = metadata.firstIndex(where: { $0.0 == key }) { metadata[i].1 = value } else { metadata.append((key, value)) }
    }

    /// Adds a Float32 tensor stored as `type`; rows (the last dimension) must be whole blocks.
    public mutating func addTensor(_ name: String, _ tensor: Tensor, as type: GGMLType = .f32) throws {
        let shape = tensor.shape.isEmpty ? [1] : tensor.shape
        guard Quantizer.supports(type) else { throw GGUFError.unsupportedTensorType(tensor: name, type: type) }
        guard let rowLength = shape.last, rowLength % type.blockSize == 0 else {
            throw GGUFError.invalidDimensions(path: "(writer)", tensor: name,
                                              detail: "row length \(shape.last ?? 0) is not a multiple of the \(type) block size \(type.blockSize)")
        }
        var bytes = [UInt8](repeating: 0, count: type.byteCount(elements: tensor.count))
        tensor.withUnsafeBufferPointer { values in
            bytes.withUnsafeMutableBytes { raw in
                if let input = values.baseAddress, let output = raw.baseAddress {
                    Quantizer.quantize(type, from: input, count: values.count, into: output)
                }
            }
        }
        try addTensor(name, shape: shape, type: type, bytes: bytes)
    }

    /// Adds already-encoded bytes for a tensor of `shape` (row-major, HF order) stored as `type`.
    public mutating func addTensor(_ name: String, shape: [Int], type: GGMLType, bytes: [UInt8]) throws {
        guard !tensors.contains(where: { $0.name == name }) else { throw GGUFError.duplicateTensor(path: "(writer)", name: name) }
        guard (1...GGUFParser.maximumDimensions).contains(shape.count), shape.allSatisfy({ $0 >= 0 }),
              (shape.last ?? 0) % type.blockSize == 0,
              bytes.count == type.byteCount(elements: shape.reduce(1, *)) else {
            throw GGUFError.invalidDimensions(path: "(writer)", tensor: name,
                                              detail: "shape \(shape) as \(type) does not match \(bytes.count) bytes")
        }
        tensors.append(Entry(name: name, dimensions: shape.reversed(), type: type, bytes: bytes))
    }

    /// The complete file.
    public func bytes() -> [UInt8] {
        var out = [UInt8]()
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func put(string s: String) { put(UInt64(s.utf8.count)); out += Array(s.utf8) }
        func put(value: GGUFValue) {
            switch value {
            case let .uint8(v): put(v)
            case let .int8(v): put(v)
            case let .uint16(v): put(v)
            case let .int16(v): put(v)
            case let .uint32(v): put(v)
            case let .int32(v): put(v)
            case let .uint64(v): put(v)
            case let .int64(v): put(v)
            case let .float32(v): put(v.bitPattern)
            case let .float64(v): put(v.bitPattern)
            case let .bool(v): put(UInt8(v ? 1 : 0))
            case let .string(s): put(string: s)
            case let .array(items):
                put((items.first?.valueType ?? .uint8).rawValue)
                put(UInt64(items.count))
                for item in items { put(value: item) }
            }
        }

        var entries = metadata
        if alignment != GGUFParser.defaultAlignment, !entries.contains(where: { $0.0 == "general.alignment" }) {
            entries.append(("general.alignment", .uint32(UInt32(alignment))))
        }
        out += Array("GGUF".utf8)
        put(UInt32(3))
        put(UInt64(tensors.count))
        put(UInt64(entries.count))
        for (key, value) in entries {
            put(string: key)
            put(value.valueType.rawValue)
            put(value: value)
        }
        var offset = 0
        var offsets = [Int]()
        for t in tensors {
            put(string: t.name)
            put(UInt32(t.dimensions.count))
            for d in t.dimensions { put(UInt64(d)) }
            put(t.type.rawValue)
            put(UInt64(offset))
            offsets.append(offset)
            offset = GGUFParser.align(offset + t.bytes.count, to: alignment)
        }
        out += [UInt8](repeating: 0, count: GGUFParser.align(out.count, to: alignment) - out.count)
        let dataStart = out.count
        for (t, o) in zip(tensors, offsets) {
            out += [UInt8](repeating: 0, count: dataStart + o - out.count)
            out += t.bytes
        }
        out += [UInt8](repeating: 0, count: GGUFParser.align(out.count - dataStart, to: alignment) + dataStart - out.count)
        return out
    }

    /// Writes the file atomically (temporary file in the same folder, then rename).
    public func write(to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(bytes()).write(to: temporary)
        } catch {
            throw GGUFError.writeFailed(path: url.path, reason: "\(error)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw GGUFError.writeFailed(path: url.path, reason: reason)
        }
    }
}
