import Foundation

/// A memory-mapped safetensors file: `u64` header length, a JSON header, then the data.
///
/// ```swift
/// let file = try SafetensorsFile(path: "model.safetensors")
/// let w = try file.tensor(named: "embeddings.word_embeddings.weight")   // Float32 Tensor
/// ```
/// The header is validated when the file opens: its size, its JSON, every dtype, that each
/// tensor's offsets lie inside the data, match shape × dtype size, and do not overlap.
public final class SafetensorsFile: @unchecked Sendable {
    /// Headers larger than this are rejected (as the reference implementation does).
    public static let maximumHeaderLength = 100_000_000

    public let path: String
    /// The `__metadata__` map (empty when absent).
    public let metadata: [String: String]
    /// Tensor entries ordered by their position in the data section.
    public let tensors: [SafetensorsTensorInfo]
    /// The absolute offset of the data section.
    public let dataOffset: Int

    let file: MappedFile
    private let index: [String: Int]

    /// Opens and validates the safetensors file at `path`.
    public init(path: String) throws {
        self.path = path
        file = try MappedFile(path: path)
        let bytes = file.bytes
        guard bytes.count >= 8 else {
            throw SafetensorsError.truncated(path: path, detail: "\(bytes.count) bytes, fewer than the 8-byte header length")
        }
        let headerLength = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(Self.maximumHeaderLength) else {
            throw SafetensorsError.headerTooLarge(path: path, length: headerLength, limit: Self.maximumHeaderLength)
        }
        guard 8 + Int(headerLength) <= bytes.count else {
            throw SafetensorsError.truncated(
                path: path, detail: "the header needs \(headerLength) bytes but only \(bytes.count - 8) follow")
        }
        dataOffset = 8 + Int(headerLength)
        let header = Data(bytes[8..<dataOffset])
        let parsed = try Self.parseHeader(header, path: path, dataOffset: dataOffset, fileSize: bytes.count)
        metadata = parsed.metadata
        tensors = parsed.tensors
        var index = [String: Int]()
        for (i, info) in tensors.enumerated() { index[info.name] = i }
        self.index = index
    }

    /// Opens and validates the safetensors file at `url`.
    public convenience init(url: URL) throws {
        try self.init(path: url.path)
    }

    /// Tensor names, in data order.
    public var names: [String] { tensors.map(\.name) }

    /// The entry called `name`, or nil.
    public func info(named name: String) -> SafetensorsTensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The entry called `name`, or `SafetensorsError.tensorNotFound`.
    public func requireInfo(named name: String) throws -> SafetensorsTensorInfo {
        guard let info = info(named: name) else { throw SafetensorsError.tensorNotFound(name: name, path: path) }
        return info
    }

    /// The raw little-endian bytes of a tensor. Valid while this file is alive.
    public func rawBytes(of info: SafetensorsTensorInfo) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[info.byteRange])
    }

    /// A float tensor (F32, F16, BF16 or F64) converted to a Float32 `Tensor`.
    public func tensor(named name: String) throws -> Tensor {
        let info = try requireInfo(named: name)
        let storage = TensorStorage(uninitializedCount: info.elementCount)
        try convert(info, into: storage.buffer)
        return Tensor(shape: info.shape, storage: storage)
    }

    /// A float tensor's values as Float32, row-major.
    public func floats(named name: String) throws -> [Float] {
        let info = try requireInfo(named: name)
        var values = [Float](repeating: 0, count: info.elementCount)
        try values.withUnsafeMutableBufferPointer { try convert(info, into: $0) }
        return values
    }

    /// An integer tensor (I64, I32, I16, I8, U8, U16, U32, U64 or BOOL) as `Int`s.
    public func integers(named name: String) throws -> [Int] {
        let info = try requireInfo(named: name)
        let raw = rawBytes(of: info)
        let n = info.elementCount
        func load<T: FixedWidthInteger>(_: T.Type) -> [Int] {
            (0..<n).map { Int(truncatingIfNeeded: T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * T.bitWidth / 8, as: T.self))) }
        }
        switch info.dtype {
        case .int64: return load(Int64.self)
        case .int32: return load(Int32.self)
        case .int16: return load(Int16.self)
        case .int8: return load(Int8.self)
        case .uint64: return load(UInt64.self)
        case .uint32: return load(UInt32.self)
        case .uint16: return load(UInt16.self)
        case .uint8, .bool: return load(UInt8.self)
        default: throw SafetensorsError.wrongElementType(tensor: name, dtype: info.dtype, requested: "integers")
        }
    }

    /// A BOOL (or U8) tensor as `Bool`s (nonzero is true).
    public func bools(named name: String) throws -> [Bool] {
        let info = try requireInfo(named: name)
        guard info.dtype == .bool || info.dtype == .uint8 else {
            throw SafetensorsError.wrongElementType(tensor: name, dtype: info.dtype, requested: "bools")
        }
        return rawBytes(of: info).map { $0 != 0 }
    }

    private func convert(_ info: SafetensorsTensorInfo, into output: UnsafeMutableBufferPointer<Float>) throws {
        let raw = rawBytes(of: info)
        let n = info.elementCount
        guard n > 0, let source = raw.baseAddress, let out = output.baseAddress else {
            if info.dtype.isFloatingPoint { return }
            throw SafetensorsError.notFloatingPoint(tensor: info.name, dtype: info.dtype)
        }
        switch info.dtype {
        case .float32:
            UnsafeMutableRawPointer(out).copyMemory(from: source, byteCount: n * 4)
        case .float16:
            Dequantizer.dequantize(.f16, from: source, count: n, into: out)
        case .bfloat16:
            Dequantizer.dequantize(.bf16, from: source, count: n, into: out)
        case .float64:
            for i in 0..<n {
                out[i] = Float(Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
            }
        default:
            throw SafetensorsError.notFloatingPoint(tensor: info.name, dtype: info.dtype)
        }
    }

    // MARK: - Header

    private static func parseHeader(_ header: Data, path: String, dataOffset: Int, fileSize: Int)
        throws -> (metadata: [String: String], tensors: [SafetensorsTensorInfo])
    {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw SafetensorsError.invalidHeader(path: path, detail: "the header is not valid JSON")
        }
        guard let entries = object as? [String: Any] else {
            throw SafetensorsError.invalidHeader(path: path, detail: "the header is not a JSON object")
        }
        var metadata = [String: String]()
        var tensors = [SafetensorsTensorInfo]()
        let bufferSize = fileSize - dataOffset
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else {
                    throw SafetensorsError.invalidHeader(path: path, detail: "__metadata__ is not an object")
                }
                for (k, v) in map {
                    guard let s = v as? String else {
                        throw SafetensorsError.invalidHeader(path: path, detail: "__metadata__['\(k)'] is not a string")
                    }
                    metadata[k] = s
                }
                continue
            }
            guard let entry = value as? [String: Any],
                  let dtypeName = entry["dtype"] as? String,
                  let shape = Self.integers(entry["shape"]),
                  let offsets = Self.integers(entry["data_offsets"]), offsets.count == 2 else {
                throw SafetensorsError.invalidHeader(
                    path: path, detail: "entry '\(name)' needs dtype, shape and two data_offsets")
            }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw SafetensorsError.unknownDType(path: path, tensor: name, dtype: dtypeName)
            }
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] >= offsets[0] else {
                throw SafetensorsError.invalidHeader(
                    path: path, detail: "entry '\(name)' has a negative dimension or reversed offsets")
            }
            guard offsets[1] <= bufferSize else {
                throw SafetensorsError.offsetsPastEnd(path: path, tensor: name, end: offsets[1], bufferSize: bufferSize)
            }
            var elements = 1
            for d in shape {
                let (p, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else {
                    throw SafetensorsError.invalidHeader(path: path, detail: "entry '\(name)' has an absurd shape \(shape)")
                }
                elements = p
            }
            let (expected, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, expected == offsets[1] - offsets[0] else {
                throw SafetensorsError.sizeMismatch(path: path, tensor: name, expectedBytes: overflow ? Int.max : expected,
                                                    actualBytes: offsets[1] - offsets[0])
            }
            tensors.append(SafetensorsTensorInfo(
                name: name, dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1],
                byteRange: dataOffset + offsets[0]..<dataOffset + offsets[1]))
        }
        tensors.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name) }
        let nonEmpty = tensors.filter { !$0.dataOffsets.isEmpty }
        for (a, b) in zip(nonEmpty, nonEmpty.dropFirst()) where a.dataOffsets.upperBound > b.dataOffsets.lowerBound {
            throw SafetensorsError.overlappingTensors(path: path, first: a.name, second: b.name)
        }
        return (metadata, tensors)
    }

    private static func integers(_ value: Any?) -> [Int]? {
        guard let numbers = value as? [Any] else { return nil }
        var result = [Int]()
        for n in numbers {
            guard let i = n as? Int else { return nil }
            result.append(i)
        }
        return result
    }
}
