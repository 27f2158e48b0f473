import Foundation

/// The memory behind one or more tensors: a 64-byte aligned, reference-counted buffer of Float.
///
/// Several tensors may share one storage (a reshape, a row slice, `detach()`); writing through one
/// of them is visible through all. Large buffers are recycled through `StoragePool` when freed, so
/// a training step that allocates the same activations every time does not page-fault them in anew.
public final class TensorStorage {
    /// The whole buffer. Valid for the lifetime of this object.
    public let buffer: UnsafeMutableBufferPointer<Float>
    private let capacity: Int

    /// The byte alignment of every allocation (one cache line, enough for AVX-512 loads).
    public static let alignment = 64

    /// Allocates `count` zero-filled scalars.
    public convenience init(count: Int) {
        self.init(uninitializedCount: count)
        buffer.update(repeating: 0)
    }

    /// Allocates `count` scalars with unspecified contents; the caller must write every one
    /// before reading (for outputs that a kernel overwrites completely, such as `sgemm` with beta 0).
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "TensorStorage: negative count \(count)")
        let (start, capacity) = StoragePool.shared.take(count: count)
        self.capacity = capacity
        buffer = UnsafeMutableBufferPointer(start: start, count: count)
    }

    /// Allocates storage holding a copy of `scalars`.
    public convenience init<C: Collection>(copying scalars: C) where C.Element == Float {
        self.init(uninitializedCount: scalars.count)
        _ = buffer.initialize(from: scalars)
    }

    /// The number of scalars.
    public var count: Int { buffer.count }

    deinit {
        StoragePool.shared.give(buffer.baseAddress!, capacity: capacity)
    }
}

/// A cache of freed large buffers, reused by later allocations of the same rounded size.
///
/// Buffers of at least `minimumPooledScalars` are rounded up to a multiple of 16 Ki scalars and kept
/// after release, up to `byteLimit` in total; smaller ones go straight back to the system allocator.
public final class StoragePool: @unchecked Sendable {
    /// The process-wide pool used by `TensorStorage`.
    public static let shared = StoragePool()

    /// Buffers smaller than this many scalars are not pooled (256 KiB).
    public let minimumPooledScalars = 65_536
    private let granule = 16_384
    /// The most memory kept idle in the pool.
    public var byteLimit = 1 << 30

    private let lock = NSLock()
    private var idle: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var idleBytes = 0

    /// Bytes held by the pool and not in use by any tensor.
    public var cachedBytes: Int { lock.withLock { idleBytes } }

    func take(count: Int) -> (UnsafeMutablePointer<Float>, Int) {
        let capacity = count >= minimumPooledScalars ? (count + granule - 1) / granule * granule : max(count, 1)
        if capacity >= minimumPooledScalars {
            let reused: UnsafeMutablePointer<Float>? = lock.withLock {
                guard let pointer = idle[capacity]?.popLast() else { return nil }
                idleBytes -= capacity * MemoryLayout<Float>.stride
                return pointer
            }
            if let reused { return (reused, capacity) }
        }
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: capacity * MemoryLayout<Float>.stride, alignment: TensorStorage.alignment)
        return (raw.bindMemory(to: Float.self, capacity: capacity), capacity)
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        let bytes = capacity * MemoryLayout<Float>.stride
        if capacity >= minimumPooledScalars {
            let kept: Bool = lock.withLock {
                guard idleBytes + bytes <= byteLimit else { return false }
                idle[capacity, default: []].append(pointer)
                idleBytes += bytes
                return true
            }
            if kept { return }
        }
        UnsafeMutableRawPointer(pointer).deallocate()
    }

    /// Returns every idle buffer to the system.
    public func releaseCachedMemory() {
        let buffers = lock.withLock { () -> [UnsafeMutablePointer<Float>] in
            let all = idle.values.flatMap { $0 }
            idle.removeAll()
            idleBytes = 0
            return all
        }
        for pointer in buffers { UnsafeMutableRawPointer(pointer).deallocate() }
    }
}
