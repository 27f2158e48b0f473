import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors from opening and mapping a file into memory.
public enum MappedFileError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case cannotMap(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "Cannot open \(path): \(reason). Check that the path exists and is readable."
        case let .cannotMap(path, reason):
            return "Cannot memory-map \(path): \(reason). Check free address space and that the file is a regular file."
        }
    }
}

/// A read-only, memory-mapped file. The mapping lives as long as this object.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The file's bytes. Valid while this object is alive.
    public let bytes: UnsafeRawBufferPointer
    private let mappedLength: Int

    /// Maps the whole file at `path` read-only.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw MappedFileError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw MappedFileError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw MappedFileError.cannotOpen(path: path, reason: "not a regular file")
        }
        let length = Int(status.st_size)
        guard length > 0 else {
            self.bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            self.mappedLength = 0
            return
        }
        let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw MappedFileError.cannotMap(path: path, reason: String(cString: strerror(errno)))
        }
        self.bytes = UnsafeRawBufferPointer(start: address, count: length)
        self.mappedLength = length
    }

    /// Maps the file at `url`.
    public convenience init(url: URL) throws {
        try self.init(path: url.path)
    }

    /// The file size in bytes.
    public var count: Int { bytes.count }

    deinit {
        if mappedLength > 0, let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), mappedLength)
        }
    }
}
