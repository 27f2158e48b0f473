import Tensor

/// Keys and values of one sequence for every layer, so decoding feeds only the new tokens.
///
/// A cache may continue another one without copying it (`continuation`): the G completions of
/// a prompt read the prompt's keys and values from its one cache (the shared prefix) and store
/// only their own rows. Storage for the own rows is allocated once for `capacity` positions.
public final class KVCache {
    /// Positions this cache can hold, the shared prefix's included.
    public let capacity: Int
    public let width: Int
    /// How many positions are stored, the prefix's included (the position of the next token).
    public private(set) var length: Int = 0
    /// The cache whose first `prefixLength` positions come before this cache's own rows; read,
    /// never written, and kept alive by every continuation.
    public let prefix: KVCache?
    /// Positions read from `prefix` (its length when this cache was made).
    public let prefixLength: Int
    private var keys: [TensorStorage]
    private var values: [TensorStorage]
    private var pendingLength: Int = 0

    public convenience init(layers: Int, kvWidth: Int, capacity: Int) {
        self.init(layers: layers, kvWidth: kvWidth, capacity: capacity, prefix: nil)
    }

    private init(layers: Int, kvWidth: Int, capacity: Int, prefix: KVCache?) {
        let prefixLength = prefix?.length ?? 0
        self.capacity = max(capacity, prefixLength)
        self.width = kvWidth
        self.prefix = prefix
        self.prefixLength = prefixLength
        let ownRows = self.capacity - prefixLength
        // Uninitialized: only rows written by `append` are ever read, and untouched pages cost no memory.
        keys = (0..<layers).map { _ in TensorStorage(uninitializedCount: ownRows * kvWidth) }
        values = (0..<layers).map { _ in TensorStorage(uninitializedCount: ownRows * kvWidth) }
        length = prefixLength
        pendingLength = prefixLength
    }

    /// A cache of `capacity` positions that starts with this cache's committed positions (a
    /// prompt's keys and values, computed once and continued by several completions). The new
    /// cache reads those positions from this one instead of copying them; a cache that is itself
    /// a continuation is copied into one segment first, so a cache never has more than two.
    public func continuation(capacity: Int) -> KVCache {
        KVCache(layers: keys.count, kvWidth: width, capacity: capacity, prefix: prefix == nil ? self : flattened())
    }

    /// This cache's committed positions in one segment (no prefix).
    private func flattened() -> KVCache {
        let copy = KVCache(layers: keys.count, kvWidth: width, capacity: length)
        for layer in keys.indices {
            let segments = self.segments(layer: layer)
            for (target, prefixRows, ownRows) in [(copy.keys[layer], segments.prefixKeys, segments.keys),
                                                  (copy.values[layer], segments.prefixValues, segments.values)] {
                let start = target.buffer.baseAddress!
                if let prefixRows { start.update(from: prefixRows, count: prefixLength * width) }
                (start + prefixLength * width).update(from: ownRows, count: (length - prefixLength) * width)
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
        let ownStart = (length - prefixLength) * width
        for (storage, source) in [(keys[layer], key), (values[layer], value)] {
            source.withUnsafeBufferPointer { rowsToAppend in
                (storage.buffer.baseAddress! + ownStart).update(from: rowsToAppend.baseAddress!, count: rows * width)
            }
        }
        pendingLength = length + rows
    }

    /// Every row of `layer` stored so far, the rows appended in this step included, as one
    /// [rows, width] view each for keys and values; nil when part of them live in the prefix.
    func contiguousRows(layer: Int) -> (keys: Tensor, values: Tensor)? {
        guard prefix == nil else { return nil }
        return (Tensor(shape: [pendingLength, width], storage: keys[layer]),
                Tensor(shape: [pendingLength, width], storage: values[layer]))
    }

    /// Pointers to the prefix's and this cache's rows of `layer` (the rows appended in this step
    /// included), valid while this cache lives.
    func segments(layer: Int) -> KeyValueSegments {
        KeyValueSegments(
            prefixKeys: prefix.map { UnsafePointer($0.keys[layer].buffer.baseAddress!) },
            prefixValues: prefix.map { UnsafePointer($0.values[layer].buffer.baseAddress!) },
            prefixCount: prefixLength,
            keys: UnsafePointer(keys[layer].buffer.baseAddress!),
            values: UnsafePointer(values[layer].buffer.baseAddress!),
            count: pendingLength - prefixLength)
    }

    /// Makes the rows appended in this step part of the cache.
    func commit() { length = pendingLength }
}
