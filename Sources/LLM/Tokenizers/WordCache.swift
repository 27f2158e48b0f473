/// A cache from a word's UTF-8 bytes to its ids, with its own hashing (FNV-1a) and storage
/// pools, so a hit costs one pass over the bytes and no allocation. Emptied when full.
struct WordCache {
    private static let maxEntries = 1 << 17
    private static let slotCount = 1 << 18  // power of two, twice maxEntries

    private var slots = [Int32](repeating: -1, count: WordCache.slotCount)
    private var entryHashes: [UInt64] = []
    private var entryBytes: [Range<Int>] = []
    private var entryIDs: [Range<Int>] = []
    private var bytePool: [UInt8] = []
    private var idPool: [Int32] = []

    @inline(__always)
    static func hash(_ word: UnsafeBufferPointer<UInt8>, continuing h: UInt64 = 0xcbf29ce484222325) -> UInt64 {
        var h = h
        for byte in word {
            h = (h ^ UInt64(byte)) &* 0x100000001b3
        }
        return h
    }

    /// Appends the cached ids of `word` to `ids` and returns true, or returns false.
    func lookup(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, into ids: inout [Int]) -> Bool {
        var slot = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return false }
            if entryHashes[entry] == hash {
                let range = entryBytes[entry]
                if range.count == word.count && bytePool[range].elementsEqual(word) {
                    for id in idPool[entryIDs[entry]] { ids.append(Int(id)) }
                    return true
                }
            }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
    }

    /// Remembers `word` → `result`.
    mutating func insert(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, result: ArraySlice<Int>) {
        if entryHashes.count >= Self.maxEntries || bytePool.count > 1 << 24 { removeAll() }
        var slot = Int(truncatingIfNeeded: hash) & (Self.slotCount - 1)
        while slots[slot] >= 0 { slot = (slot + 1) & (Self.slotCount - 1) }
        slots[slot] = Int32(entryHashes.count)
        entryHashes.append(hash)
        entryBytes.append(bytePool.count..<(bytePool.count + word.count))
        bytePool.append(contentsOf: word)
        entryIDs.append(idPool.count..<(idPool.count + result.count))
        for id in result { idPool.append(Int32(id)) }
    }

    mutating func removeAll() {
        for i in slots.indices { slots[i] = -1 }
        entryHashes.removeAll(keepingCapacity: true)
        entryBytes.removeAll(keepingCapacity: true)
        entryIDs.removeAll(keepingCapacity: true)
        bytePool.removeAll(keepingCapacity: true)
        idPool.removeAll(keepingCapacity: true)
    }
}
