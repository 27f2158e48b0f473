/// Reads the GGUF header, metadata and tensor infos from mapped bytes, checking every read
/// against the end of the file. Internal: `GGUFFile` is the public face.
struct GGUFParser {
    static let magic: UInt32 = 0x4655_4747 // "GGUF" read as a little-endian u32
    static let defaultAlignment = 32
    static let maximumDimensions = 4
    static let maximumArrayNesting = 16

    let bytes: UnsafeRawBufferPointer
    let path: String
    var offset = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    struct Header {
        var version: UInt32
        var metadata: [String: GGUFValue]
        var metadataKeys: [String]
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    var remaining: Int { bytes.count - offset }

    mutating func parse() throws -> Header {
        guard bytes.count >= 4, try read(UInt32.self, "the magic") == Self.magic else {
            throw GGUFError.notGGUF(path: path)
        }
        let version = try read(UInt32.self, "the version")
        guard version == 2 || version == 3 else {
            throw GGUFError.unsupportedVersion(path: path, version: version)
        }
        let tensorCount = try read(UInt64.self, "the tensor count")
        let metadataCount = try read(UInt64.self, "the metadata count")
        // A key-value pair takes at least 13 bytes, a tensor info at least 24.
        let kvCount = try checkedCount(metadataCount, minimumSize: 13, what: "metadata entries")

        var metadata = [String: GGUFValue]()
        var keys = [String]()
        keys.reserveCapacity(kvCount)
        for _ in 0..<kvCount {
            let key = try readKey()
            let rawType = try read(UInt32.self, "the type of '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw GGUFError.invalidValueType(path: path, key: key, rawType: rawType)
            }
            let value = try readValue(type, key: key, depth: 0)
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw GGUFError.duplicateKey(path: path, key: key)
            }
            keys.append(key)
        }

        var alignment = Self.defaultAlignment
        if let value = metadata["general.alignment"] {
            guard let a = value.int, a > 0, a % 8 == 0 else {
                throw GGUFError.invalidAlignment(path: path, alignment: value.int ?? -1)
            }
            alignment = a
        }

        let infoCount = try checkedCount(tensorCount, minimumSize: 24, what: "tensors")
        var raw = [(name: String, dimensions: [Int], type: GGMLType, offset: Int)]()
        raw.reserveCapacity(infoCount)
        var names = Set<String>()
        for _ in 0..<infoCount {
            let info = try readTensorInfo(alignment: alignment)
            guard names.insert(info.name).inserted else {
                throw GGUFError.duplicateTensor(path: path, name: info.name)
            }
            raw.append(info)
        }

        let dataOffset = Self.align(offset, to: alignment)
        var tensors = [GGUFTensorInfo]()
        tensors.reserveCapacity(raw.count)
        for info in raw {
            let elements = info.dimensions.reduce(1, *)
            let size = info.type.byteCount(elements: elements)
            let (start, o1) = dataOffset.addingReportingOverflow(info.offset)
            let (end, o2) = start.addingReportingOverflow(size)
            guard !o1, !o2, end <= bytes.count else {
                throw GGUFError.tensorOutOfBounds(
                    path: path, tensor: info.name, end: o1 || o2 ? Int.max : end, fileSize: bytes.count)
            }
            tensors.append(GGUFTensorInfo(
                name: info.name, dimensions: info.dimensions, type: info.type,
                offset: info.offset, byteRange: start..<end))
        }
        try checkNoOverlaps(tensors)
        return Header(version: version, metadata: metadata, metadataKeys: keys,
                      tensors: tensors, alignment: alignment, dataOffset: dataOffset)
    }

    static func align(_ value: Int, to alignment: Int) -> Int {
        value + (alignment - value % alignment) % alignment
    }

    // MARK: - Pieces

    private mutating func readTensorInfo(alignment: Int)
        throws -> (name: String, dimensions: [Int], type: GGMLType, offset: Int)
    {
        let name = try readString("a tensor name")
        let rank = try read(UInt32.self, "the rank of '\(name)'")
        guard rank <= Self.maximumDimensions else {
            throw GGUFError.invalidDimensions(path: path, tensor: name,
                                              detail: "\(rank) dimensions, at most \(Self.maximumDimensions) allowed")
        }
        var dimensions = [Int]()
        var elements = 1
        for _ in 0..<Int(rank) {
            let n = try read(UInt64.self, "the dimensions of '\(name)'")
            guard let d = Int(exactly: n), d < Int(Int32.max) * 64 else {
                throw GGUFError.invalidDimensions(path: path, tensor: name, detail: "dimension \(n) is absurd")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            // No type stores an element in under 1.5 bits, so more than 8 per byte cannot fit.
            guard !overflow, product <= bytes.count * 8 + 8 else {
                throw GGUFError.invalidDimensions(path: path, tensor: name,
                                                  detail: "\(dimensions + [d]) has more elements than the file could hold")
            }
            elements = product
            dimensions.append(d)
        }
        let rawType = try read(UInt32.self, "the type of '\(name)'")
        guard let type = GGMLType(rawValue: rawType) else {
            throw GGUFError.unknownTensorType(path: path, tensor: name, rawType: rawType)
        }
        let rowLength = dimensions.first ?? 1
        guard rowLength % type.blockSize == 0 else {
            throw GGUFError.invalidDimensions(
                path: path, tensor: name,
                detail: "row length \(rowLength) is not a multiple of the \(type) block size \(type.blockSize)")
        }
        let rawOffset = try read(UInt64.self, "the offset of '\(name)'")
        guard let offset = Int(exactly: rawOffset), offset <= bytes.count else {
            throw GGUFError.tensorOutOfBounds(path: path, tensor: name, end: Int(clamping: rawOffset), fileSize: bytes.count)
        }
        guard offset % alignment == 0 else {
            throw GGUFError.misalignedTensor(path: path, tensor: name, offset: offset, alignment: alignment)
        }
        return (name, dimensions, type, offset)
    }

    private func checkNoOverlaps(_ tensors: [GGUFTensorInfo]) throws {
        let sorted = tensors.filter { !$0.byteRange.isEmpty }.sorted { $0.byteRange.lowerBound < $1.byteRange.lowerBound }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.byteRange.upperBound > b.byteRange.lowerBound {
            throw GGUFError.overlappingTensors(path: path, first: a.name, second: b.name)
        }
    }

    private mutating func readValue(_ type: GGUFValueType, key: String, depth: Int) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try read(UInt8.self, key))
        case .int8: return .int8(try read(Int8.self, key))
        case .uint16: return .uint16(try read(UInt16.self, key))
        case .int16: return .int16(try read(Int16.self, key))
        case .uint32: return .uint32(try read(UInt32.self, key))
        case .int32: return .int32(try read(Int32.self, key))
        case .uint64: return .uint64(try read(UInt64.self, key))
        case .int64: return .int64(try read(Int64.self, key))
        case .float32: return .float32(Float(bitPattern: try read(UInt32.self, key)))
        case .float64: return .float64(Double(bitPattern: try read(UInt64.self, key)))
        case .bool:
            let byte = try read(UInt8.self, key)
            guard byte <= 1 else { throw GGUFError.invalidBool(path: path, key: key, byte: byte) }
            return .bool(byte == 1)
        case .string:
            return .string(try readString("the value of '\(key)'"))
        case .array:
            guard depth < Self.maximumArrayNesting else {
                throw GGUFError.absurdCount(path: path, what: "levels of nested arrays in '\(key)'",
                                            count: UInt64(depth + 1), limit: Self.maximumArrayNesting)
            }
            let rawElementType = try read(UInt32.self, "the element type of '\(key)'")
            guard let elementType = GGUFValueType(rawValue: rawElementType) else {
                throw GGUFError.invalidValueType(path: path, key: key, rawType: rawElementType)
            }
            let rawCount = try read(UInt64.self, "the length of '\(key)'")
            let count = try checkedCount(rawCount, minimumSize: elementType.minimumSize,
                                         what: "elements in array '\(key)'")
            var elements = [GGUFValue]()
            elements.reserveCapacity(count)
            for _ in 0..<count {
                elements.append(try readValue(elementType, key: key, depth: depth + 1))
            }
            return .array(elements)
        }
    }

    /// Rejects a count that could not fit in the rest of the file.
    private func checkedCount(_ count: UInt64, minimumSize: Int, what: String) throws -> Int {
        let limit = remaining / max(minimumSize, 1)
        guard count <= UInt64(limit) else {
            throw GGUFError.absurdCount(path: path, what: what, count: count, limit: limit)
        }
        return Int(count)
    }

    private mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw GGUFError.truncated(path: path, offset: offset, needed: size, reading: what())
        }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    /// The GGUF specification's bound on a metadata key's length.
    static let maximumKeyLength = 65_535

    /// A metadata key: a string that must be ASCII and at most 65,535 bytes (the specification's
    /// rules). Checked before the key is hashed into the metadata table: a misread length once
    /// made a 240 MB key of tokenizer text, and hashing it (Unicode-normalized) took minutes.
    private mutating func readKey() throws -> String {
        let start = offset
        let length = try read(UInt64.self, "a metadata key's length")
        // A length past the end of the file stays a truncation (readString reports it).
        guard length <= UInt64(Self.maximumKeyLength) || length > UInt64(remaining) else {
            throw GGUFError.invalidKey(path: path, offset: start, detail: "is \(length) bytes long")
        }
        offset = start
        let key = try readString("a metadata key")
        guard key.utf8.allSatisfy({ $0 < 0x80 }) else {
            throw GGUFError.invalidKey(path: path, offset: start, detail: "is not ASCII ('\(key.prefix(40))…')")
        }
        return key
    }

    private mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let start = offset
        let length = try read(UInt64.self, what())
        guard length <= UInt64(remaining) else {
            // The length came from the file: near 2^63 it must not be added to anything.
            let (needed, overflow) = Int(clamping: length).addingReportingOverflow(8)
            throw GGUFError.truncated(path: path, offset: start, needed: overflow ? Int.max : needed, reading: what())
        }
        let count = Int(length)
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
        offset += count
        return text
    }
}
