import Foundation

/// Byte strings by id in one arena, with an open-addressing index from bytes to the first id
/// that has them. A vocabulary of 262k tokens takes ~6 MiB this way; as `[String]` plus a
/// `[[UInt8]: Int]` dictionary (one heap array per key) it took ~25 MiB.
///
/// Lookups compare bytes, not `String`s: `String` equality is canonical equivalence, which
/// would conflate `é` with `e` + U+0301.
struct SpellingTable: Sendable {
    private var arena: [UInt8] = []
    /// Id i's bytes are `arena[offsets[i]..<offsets[i + 1]]`.
    private var offsets: [UInt32] = [0]
    /// Ids by hash slot, -1 for empty; a power of two at least twice the indexed count.
    private var slots: [Int32] = []

    /// The table of `spellings` (index = id); nil and empty spellings are kept as ids but
    /// cannot be looked up.
    init<S: Sequence>(_ spellings: S) where S.Element == [UInt8]? {
        for spelling in spellings {
            if let spelling { arena.append(contentsOf: spelling) }
            offsets.append(UInt32(arena.count))
        }
        arena = Array(unsafeUninitializedCapacity: arena.count) { buffer, count in  // no spare capacity
            count = buffer.initialize(fromContentsOf: arena)
        }
        buildIndex()
    }

    /// The table of `tokens`' UTF-8 spellings.
    init(tokens: [String]) {
        self.init(tokens.lazy.map { Array($0.utf8) })
    }

    /// The number of ids.
    var count: Int { offsets.count - 1 }

    /// The bytes of `id` (empty for an unused id).
    func withBytes<R>(of id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let lower = Int(offsets[id]), upper = Int(offsets[id + 1])
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[lower..<upper])) }
    }

    /// The spelling of `id` as text, or nil outside `0..<count`.
    func string(for id: Int) -> String? {
        guard id >= 0 && id < count else { return nil }
        return withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// The first id spelled `bytes`.
    func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        id(ofConcatenation: bytes, UnsafeBufferPointer(start: nil, count: 0))
    }

    /// The first id spelled `first` followed by `second`, without joining them.
    func id(ofConcatenation first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = first.count + second.count
        guard count > 0 else { return nil }
        let hash = WordCache.hash(second, continuing: WordCache.hash(first))
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        return arena.withUnsafeBufferPointer { arena in
            while true {
                let id = Int(slots[slot])
                if id < 0 { return nil }
                let lower = Int(offsets[id])
                if Int(offsets[id + 1]) - lower == count,
                   first.isEmpty || memcmp(arena.baseAddress! + lower, first.baseAddress!, first.count) == 0,
                   second.isEmpty || memcmp(arena.baseAddress! + lower + first.count, second.baseAddress!, second.count) == 0 {
                    return id
                }
                slot = (slot + 1) & mask
            }
        }
    }

    func id(of bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { id(of: $0) }
    }

    func id(of text: String) -> Int? {
        var text = text
        return text.withUTF8 { id(of: $0) }
    }

    private mutating func buildIndex() {
        var capacity = 16
        while capacity < 2 * count { capacity *= 2 }
        slots = [Int32](repeating: -1, count: capacity)
        for entry in 0..<count {
            let lower = Int(offsets[entry]), upper = Int(offsets[entry + 1])
            guard upper > lower else { continue }
            let (hash, isNew) = arena.withUnsafeBufferPointer { arena in
                let bytes = UnsafeBufferPointer(rebasing: arena[lower..<upper])
                return (WordCache.hash(bytes), id(of: bytes) == nil)
            }
            guard isNew else { continue }
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(entry)
        }
    }
}
