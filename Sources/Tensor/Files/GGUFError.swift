/// What can go wrong reading a GGUF file. Each message says what to do next.
public enum GGUFError: Error, CustomStringConvertible, Equatable {
    case notGGUF(path: String)
    case unsupportedVersion(path: String, version: UInt32)
    case truncated(path: String, offset: Int, needed: Int, reading: String)
    case absurdCount(path: String, what: String, count: UInt64, limit: Int)
    case invalidValueType(path: String, key: String, rawType: UInt32)
    case invalidBool(path: String, key: String, byte: UInt8)
    case duplicateKey(path: String, key: String)
    case invalidKey(path: String, offset: Int, detail: String)
    case duplicateTensor(path: String, name: String)
    case invalidAlignment(path: String, alignment: Int)
    case invalidDimensions(path: String, tensor: String, detail: String)
    case unknownTensorType(path: String, tensor: String, rawType: UInt32)
    case unsupportedTensorType(tensor: String, type: GGMLType)
    case misalignedTensor(path: String, tensor: String, offset: Int, alignment: Int)
    case tensorOutOfBounds(path: String, tensor: String, end: Int, fileSize: Int)
    case overlappingTensors(path: String, first: String, second: String)
    case tensorNotFound(name: String, path: String)
    case rowOutOfRange(tensor: String, row: Int, rows: Int)
    case outputTooSmall(tensor: String, needed: Int, given: Int)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notGGUF(path):
            return "\(path) is not a GGUF file (its first four bytes are not \"GGUF\"). Pass a .gguf model file."
        case let .unsupportedVersion(path, version):
            return "\(path) is GGUF version \(version); only versions 2 and 3 are supported. Re-convert it with a current llama.cpp."
        case let .truncated(path, offset, needed, reading):
            return "\(path) is truncated: reading \(reading) needs \(needed) bytes at offset \(offset), past the end of the file. Re-download the file (`make models` for the default models)."
        case let .absurdCount(path, what, count, limit):
            return "\(path) declares \(count) \(what), more than the file could hold (at most \(limit)). The file is corrupt; re-download it."
        case let .invalidValueType(path, key, rawType):
            return "\(path): metadata key '\(key)' has unknown value type \(rawType). The file is corrupt or from an unsupported GGUF writer."
        case let .invalidBool(path, key, byte):
            return "\(path): metadata key '\(key)' holds bool byte \(byte), which is neither 0 nor 1. The file is corrupt."
        case let .invalidKey(path, offset, detail):
            return "\(path): the metadata key at offset \(offset) \(detail); GGUF keys are ASCII and at most \(GGUFParser.maximumKeyLength) bytes long. The file is corrupt."
        case let .duplicateKey(path, key):
            return "\(path): metadata key '\(key)' appears twice. The file is corrupt."
        case let .duplicateTensor(path, name):
            return "\(path): tensor '\(name)' appears twice. The file is corrupt."
        case let .invalidAlignment(path, alignment):
            return "\(path): general.alignment is \(alignment); it must be a positive multiple of 8. The file is corrupt."
        case let .invalidDimensions(path, tensor, detail):
            return "\(path): tensor '\(tensor)' has invalid dimensions (\(detail)). The file is corrupt."
        case let .unknownTensorType(path, tensor, rawType):
            return "\(path): tensor '\(tensor)' has unknown ggml type \(rawType). Re-quantize the model to a supported type (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)."
        case let .unsupportedTensorType(tensor, type):
            return "Tensor '\(tensor)' is stored as \(type), which cannot be dequantized yet. Re-quantize the model to F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K or Q6_K."
        case let .misalignedTensor(path, tensor, offset, alignment):
            return "\(path): tensor '\(tensor)' starts at data offset \(offset), which is not a multiple of the alignment \(alignment). The file is corrupt."
        case let .tensorOutOfBounds(path, tensor, end, fileSize):
            return "\(path): tensor '\(tensor)' ends at byte \(end) but the file has only \(fileSize) bytes. The file is truncated; re-download it."
        case let .overlappingTensors(path, first, second):
            return "\(path): the data of tensors '\(first)' and '\(second)' overlap. The file is corrupt."
        case let .tensorNotFound(name, path):
            return "\(path) has no tensor named '\(name)'. List the names with GGUFFile.tensors."
        case let .rowOutOfRange(tensor, row, rows):
            return "Row \(row) is out of range for tensor '\(tensor)', which has \(rows) rows."
        case let .outputTooSmall(tensor, needed, given):
            return "The output buffer for tensor '\(tensor)' holds \(given) floats but \(needed) are needed."
        case let .writeFailed(path, reason):
            return "Cannot write \(path): \(reason). Check that the folder exists and is writable and that the disk has space."
        }
    }
}
