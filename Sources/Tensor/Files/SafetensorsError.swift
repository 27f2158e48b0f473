/// What can go wrong reading or writing a safetensors file. Each message says what to do next.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    case truncated(path: String, detail: String)
    case headerTooLarge(path: String, length: UInt64, limit: Int)
    case invalidHeader(path: String, detail: String)
    case unknownDType(path: String, tensor: String, dtype: String)
    case offsetsPastEnd(path: String, tensor: String, end: Int, bufferSize: Int)
    case sizeMismatch(path: String, tensor: String, expectedBytes: Int, actualBytes: Int)
    case overlappingTensors(path: String, first: String, second: String)
    case tensorNotFound(name: String, path: String)
    case notFloatingPoint(tensor: String, dtype: SafetensorsDType)
    case wrongElementType(tensor: String, dtype: SafetensorsDType, requested: String)
    case invalidTensor(name: String, detail: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .truncated(path, detail):
            return "\(path) is truncated (\(detail)). Re-download or re-export the file."
        case let .headerTooLarge(path, length, limit):
            return "\(path) declares a \(length)-byte header, more than the \(limit)-byte limit; the file is corrupt or not safetensors."
        case let .invalidHeader(path, detail):
            return "\(path) has an invalid safetensors header: \(detail). The file is corrupt or not safetensors."
        case let .unknownDType(path, tensor, dtype):
            return "\(path): tensor '\(tensor)' has dtype \(dtype), which is not supported. Convert it to F32, F16, BF16, I64, I32, U8 or BOOL."
        case let .offsetsPastEnd(path, tensor, end, bufferSize):
            return "\(path): tensor '\(tensor)' ends at data byte \(end) but the data section has only \(bufferSize) bytes. The file is truncated or corrupt."
        case let .sizeMismatch(path, tensor, expectedBytes, actualBytes):
            return "\(path): tensor '\(tensor)' needs \(expectedBytes) bytes for its shape and dtype but its offsets span \(actualBytes). The file is corrupt."
        case let .overlappingTensors(path, first, second):
            return "\(path): the data of tensors '\(first)' and '\(second)' overlap. The file is corrupt."
        case let .tensorNotFound(name, path):
            return "\(path) has no tensor named '\(name)'. List the names with SafetensorsFile.tensors."
        case let .notFloatingPoint(tensor, dtype):
            return "Tensor '\(tensor)' is \(dtype.rawValue), not a float type; read it with integers(named:) or bools(named:)."
        case let .wrongElementType(tensor, dtype, requested):
            return "Tensor '\(tensor)' is \(dtype.rawValue); it cannot be read as \(requested)."
        case let .invalidTensor(name, detail):
            return "Cannot write tensor '\(name)': \(detail)."
        case let .writeFailed(path, reason):
            return "Cannot write \(path): \(reason). Check that the folder exists and is writable and that the disk has space."
        }
    }
}
