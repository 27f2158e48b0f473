import Tensor

/// Keys and values of one sequence for every layer, so decoding feeds only the new tokens.
/// Storage is allocated once for `capacity` positions.
public final class KVCache {
    public let capacity: Int
    public let width: Int
    /// How many positions are stored (the position of the next token).
    public private(set) var length: Int = 0
    private var keys: [TensorStorage]
    private var values: [TensorStorage]
    private var pendingLength: Int = 0

    public init(layers: Int, kvWidth: Int, capacity: Int) {
        self.capacity = capacity
        self.width = kvWidth
        keys = (0..<layers).map { _ in TensorStorage(count: capacity * kvWidth) }
        values = (0..<layers).map { _ in TensorStorage(count: capacity * kvWidth) }
    }

    /// A cache of `capacity` positions that starts with this cache's committed positions (a
    /// prompt's keys and values, computed once and continued by several completions).
    public func continuation(capacity: Int) -> KVCache {
        let copy = KVCache(layers: keys.count, kvWidth: width, capacity: max(capacity, length))
        for layer in keys.indices {
            for (target, source) in [(copy.keys[layer], keys[layer]), (copy.values[layer], values[layer])] {
                target.buffer.baseAddress!.update(from: source.buffer.baseAddress!, count: length * width)
            }
        }
        copy.length = length
        copy.pendingLength = length
        return copy
    }

    /// Appends `key` and `value` rows [T, width] to `layer` and returns every stored row of that
    /// layer ([length + T, width] views). Call `commit()` after the last layer of a step.
    func append(layer: Int, key: Tensor, value: Tensor) throws -> (keys: Tensor, values: Tensor) {
        let rows = key.count / width
        guard length + rows <= capacity else { throw GenerationError.contextFull(capacity: capacity) }
        for (storage, source) in [(keys[layer], key), (values[layer], value)] {
            source.withUnsafeBufferPointer { rowsToAppend in
                (storage.buffer.baseAddress! + length * width).update(from: rowsToAppend.baseAddress!, count: rows * width)
            }
        }
        pendingLength = length + rows
        return (Tensor(shape: [pendingLength, width], storage: keys[layer]),
                Tensor(shape: [pendingLength, width], storage: values[layer]))
    }

    /// Makes the rows appended in this step part of the cache.
    func commit() { length = pendingLength }
}
