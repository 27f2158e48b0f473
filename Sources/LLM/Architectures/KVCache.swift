import Foundation
import Tensor

/// Keys and values of one sequence for every layer, so decoding feeds only the new tokens.
///
/// A cache may continue another one without copying it (`continuation`): the G completions of
/// a prompt read the prompt's keys and values from its one cache (the shared prefix) and store
/// only their own rows. Storage for the own rows is allocated once for `capacity` positions.
/// Rows are kept as Float32 or, at half the memory, as Float16 (`format`; rounded once when
/// appended, read back exactly).
public final class KVCache {
    /// Positions this cache can hold, the shared prefix's included.
    public let capacity: Int
    public let width: Int
    /// How the rows are stored (a continuation keeps its prefix's format).
    public let format: KeyValueFormat
    /// How many positions are stored, the prefix's included (the position of the next token).
    public private(set) var length: Int = 0
    /// The cache whose first `prefixLength` positions come before this cache's own rows; read,
    /// never written, and kept alive by every continuation.
    public let prefix: KVCache?
    /// Positions read from `prefix` (its length when this cache was made).
    public let prefixLength: Int
    private let keys: [CacheRows]
    private let values: [CacheRows]
    private var pendingLength: Int = 0

    public convenience init(layers: Int, kvWidth: Int, capacity: Int, format: KeyValueFormat = .float32) {
        self.init(layers: layers, kvWidth: kvWidth, capacity: capacity, format: format, prefix: nil)
    }

    private init(layers: Int, kvWidth: Int, capacity: Int, format: KeyValueFormat, prefix: KVCache?) {
        let prefixLength = prefix?.length ?? 0
        self.capacity = max(capacity, prefixLength)
        self.width = kvWidth
        self.format = format
        self.prefix = prefix
        self.prefixLength = prefixLength
        let ownBytes = (self.capacity - prefixLength) * kvWidth * format.byteCount
        keys = (0..<layers).map { _ in CacheRows(byteCount: ownBytes) }
        values = (0..<layers).map { _ in CacheRows(byteCount: ownBytes) }
        length = prefixLength
        pendingLength = prefixLength
    }

    /// A cache of `capacity` positions that starts with this cache's committed positions (a
    /// prompt's keys and values, computed once and continued by several completions). The new
    /// cache reads those positions from this one instead of copying them; a cache that is itself
    /// a continuation is copied into one segment first, so a cache never has more than two.
    public func continuation(capacity: Int) -> KVCache {
        KVCache(layers: keys.count, kvWidth: width, capacity: capacity, format: format,
                prefix: prefix == nil ? self : flattened())
    }

    private var rowBytes: Int { width * format.byteCount }

    /// This cache's committed positions in one segment (no prefix).
    private func flattened() -> KVCache {
        let copy = KVCache(layers: keys.count, kvWidth: width, capacity: length, format: format)
        for layer in keys.indices {
            let segments = self.segments(layer: layer)
            for (target, prefixRows, ownRows) in [(copy.keys[layer], segments.prefixKeys, segments.keys),
                                                  (copy.values[layer], segments.prefixValues, segments.values)] {
                if let prefixRows { target.start.copyMemory(from: prefixRows, byteCount: prefixLength * rowBytes) }
                (target.start + prefixLength * rowBytes).copyMemory(from: ownRows, byteCount: (length - prefixLength) * rowBytes)
            }
        }
        copy.length = length
        copy.pendingLength = length
        return copy
    }

    /// Appends `key` and `value` rows [T, width] to `layer`. Call `commit()` after the last
    /// layer of a step.
    func append(layer: Int, key: Tensor, value: Tensor) throws {
        let rows = key.count / width
        guard length + rows <= capacity else { throw GenerationError.contextFull(capacity: capacity) }
        let ownStart = (length - prefixLength) * rowBytes
        for (storage, source) in [(keys[layer], key), (values[layer], value)] {
            source.withUnsafeBufferPointer { rowsToAppend in
                let target = storage.start + ownStart
                switch format {
                case .float32:
                    target.copyMemory(from: rowsToAppend.baseAddress!, byteCount: rows * width * 4)
                case .float16:
                    HalfPrecisionRows.store(rowsToAppend.baseAddress!, count: rows * width,
                                            into: target.assumingMemoryBound(to: UInt16.self))
                }
            }
        }
        pendingLength = length + rows
    }

    /// True when the rows appended in this step are the only ones (a prefill into a fresh cache).
    var holdsOnlyThisStep: Bool { prefix == nil && length == 0 }

    /// Every row of `layer` stored so far, the rows appended in this step included, as one
    /// [rows, width] Float32 copy each for keys and values; nil when part of them live in the prefix.
    func contiguousRows(layer: Int) -> (keys: Tensor, values: Tensor)? {
        guard prefix == nil else { return nil }
        return (floats(keys[layer]), floats(values[layer]))
    }

    private func floats(_ rows: CacheRows) -> Tensor {
        let count = pendingLength * width
        let storage = TensorStorage(uninitializedCount: count)
        if count > 0 {
            switch format {
            case .float32:
                UnsafeMutableRawPointer(storage.buffer.baseAddress!).copyMemory(from: rows.start, byteCount: count * 4)
            case .float16:
                HalfPrecisionRows.load(UnsafePointer(rows.start.assumingMemoryBound(to: UInt16.self)), count: count,
                                       into: storage.buffer.baseAddress!)
            }
        }
        return Tensor(shape: [pendingLength, width], storage: storage)
    }

    /// Pointers to the prefix's and this cache's rows of `layer` (the rows appended in this step
    /// included), valid while this cache lives.
    func segments(layer: Int) -> KeyValueSegments {
        KeyValueSegments(
            format: format,
            prefixKeys: prefix.map { UnsafeRawPointer($0.keys[layer].start) },
            prefixValues: prefix.map { UnsafeRawPointer($0.values[layer].start) },
            prefixCount: prefixLength,
            keys: UnsafeRawPointer(keys[layer].start),
            values: UnsafeRawPointer(values[layer].start),
            count: pendingLength - prefixLength)
    }

    /// Makes the rows appended in this step part of the cache.
    func commit() { length = pendingLength }
}

/// One layer's key or value rows of a cache: uninitialized memory (only rows written by
/// `append` are ever read, and untouched pages cost nothing), freed with the cache.
///
/// Rows of a page or more are pages mapped for them alone, not malloc's: a rollout's caches
/// (100 MiB for SmolLM2's 8 × 4 × 128 tokens) go back to the system as each sequence ends
/// instead of staying in the heap between the step's small allocations.
private final class CacheRows {
    let start: UnsafeMutableRawPointer
    private let mappedBytes: Int

    init(byteCount: Int) {
        if byteCount >= Self.pageSize,
           let pages = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
           pages != MAP_FAILED {
            start = pages
            mappedBytes = byteCount
        } else {
            start = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
            mappedBytes = 0
        }
    }

    deinit {
        if mappedBytes > 0 { munmap(start, mappedBytes) } else { start.deallocate() }
    }

    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
}
