import Foundation
import TextFormats
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a safetensors file the way the reference implementation does: `__metadata__` first,
/// tensors ordered by dtype (largest first, in the reference writer's rank) then name, the JSON header padded with spaces
/// to a multiple of 8. The file is written to a temporary name and renamed into place, so a
/// crash never leaves a half-written file behind.
///
/// ```swift
/// var writer = SafetensorsWriter(metadata: ["format": "pt"])
/// try writer.add("lora_A.weight", tensor: a)                  // F32
/// try writer.add("embed.weight", tensor: e, as: .bfloat16)    // converted on write
/// try writer.write(to: url)
/// ```
public struct SafetensorsWriter {
    private enum Payload {
        case tensor(Tensor)
        case bytes([UInt8])
    }

    private struct Entry {
        var name: String
        var dtype: SafetensorsDType
        var shape: [Int]
        var payload: Payload
        var byteCount: Int
    }

    /// The `__metadata__` map.
    public var metadata: [String: String]
    private var entries: [Entry] = []

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Adds a Float32 tensor, stored as `dtype` (F32, F16, BF16 or F64).
    public mutating func add(_ name: String, tensor: Tensor, as dtype: SafetensorsDType = .float32) throws {
        guard dtype.isFloatingPoint else {
            throw SafetensorsError.invalidTensor(name: name, detail: "a Float32 tensor can be stored as F32, F16, BF16 or F64, not \(dtype.rawValue)")
        }
        try checkNew(name)
        entries.append(Entry(name: name, dtype: dtype, shape: tensor.shape, payload: .tensor(tensor),
                             byteCount: tensor.count * dtype.byteSize))
    }

    /// Adds raw little-endian bytes of `dtype` with `shape` (for integer and bool tensors).
    public mutating func add(_ name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws {
        try checkNew(name)
        let expected = shape.reduce(1, *) * dtype.byteSize
        guard shape.allSatisfy({ $0 >= 0 }), bytes.count == expected else {
            throw SafetensorsError.invalidTensor(
                name: name, detail: "\(bytes.count) bytes do not fill shape \(shape) of \(dtype.rawValue) (\(expected) bytes)")
        }
        entries.append(Entry(name: name, dtype: dtype, shape: shape, payload: .bytes(bytes), byteCount: bytes.count))
    }

    /// Adds an integer tensor stored as I64.
    public mutating func add(_ name: String, int64 values: [Int64], shape: [Int]) throws {
        try add(name, dtype: .int64, shape: shape, bytes: values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) })
    }

    private func checkNew(_ name: String) throws {
        guard name != "__metadata__", !entries.contains(where: { $0.name == name }) else {
            throw SafetensorsError.invalidTensor(name: name, detail: "the name is already used")
        }
    }

    /// Entries in file order: dtype descending (as the reference writer ranks them), then name.
    private var ordered: [Entry] {
        entries.sorted { ($0.dtype.writeOrderRank, $1.name) > ($1.dtype.writeOrderRank, $0.name) }
    }

    /// The header bytes (JSON padded with spaces to a multiple of 8), without the length prefix.
    public func headerBytes() -> [UInt8] {
        var json = "{"
        var fields = [String]()
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(JSONString.quoted($0)):\(JSONString.quoted(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for entry in ordered {
            let shape = entry.shape.map(String.init).joined(separator: ",")
            fields.append("\(JSONString.quoted(entry.name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + entry.byteCount)]}")
            offset += entry.byteCount
        }
        json += fields.joined(separator: ",") + "}"
        var bytes = Array(json.utf8)
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8)
        return bytes
    }

    /// Writes the file atomically (temporary file in the same folder, then rename).
    public func write(to url: URL) throws {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw SafetensorsError.writeFailed(path: path, reason: "cannot create \(temporary)")
        }
        do {
            let header = headerBytes()
            try handle.write(contentsOf: withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init))
            try handle.write(contentsOf: header)
            for entry in ordered {
                try handle.write(contentsOf: Self.encode(entry))
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            unlink(temporary)
            throw SafetensorsError.writeFailed(path: path, reason: "\(error)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SafetensorsError.writeFailed(path: path, reason: reason)
        }
    }

    private static func encode(_ entry: Entry) -> Data {
        switch entry.payload {
        case let .bytes(bytes):
            return Data(bytes)
        case let .tensor(tensor):
            return tensor.withUnsafeBufferPointer { values -> Data in
                switch entry.dtype {
                case .float32:
                    return Data(buffer: values)
                case .float16:
                    return packed(values, width: 2) { p, i, v in p.storeBytes(of: HalfPrecision.float16(v).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
                case .bfloat16:
                    return packed(values, width: 2) { p, i, v in p.storeBytes(of: HalfPrecision.bfloat16(v).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
                default:
                    return packed(values, width: 8) { p, i, v in p.storeBytes(of: Double(v).bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self) }
                }
            }
        }
    }

    private static func packed(_ values: UnsafeBufferPointer<Float>, width: Int,
                               store: (UnsafeMutableRawPointer, Int, Float) -> Void) -> Data {
        var data = Data(count: values.count * width)
        data.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            for (i, v) in values.enumerated() { store(base, i, v) }
        }
        return data
    }
}
