/// Merges listed pair by pair with their ranks (GPT-2-style `merges`).
struct MergeTable: MergeRule {
    // Open addressing keyed by `left << 32 | right` (Swift's Dictionary hashing is slower), at
    // most 3/4 full once built (`shrinkToFit`).
    private struct Slot {
        var key: UInt64
        var merge: Merge
    }
    private var slots: [Slot] = []
    private(set) var count = 0
    private static let empty = UInt64.max

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// The home slot of `key`: its mixed bits scaled to the capacity (any capacity works).
    @inline(__always)
    private static func home(of key: UInt64, capacity: Int) -> Int {
        Int((key &* 0x9E3779B97F4A7C15).multipliedFullWidth(by: UInt64(capacity)).high)
    }

    /// Records that `left right` merges into `result`; the first record of a pair wins.
    mutating func add(left: Int32, right: Int32, result: Int32, priority: Float) {
        if (count + 1) * 2 > slots.count { rehash(capacity: max(1024, slots.count * 2)) }
        let key = Self.key(left, right)
        var index = Self.home(of: key, capacity: slots.count)
        while slots[index].key != Self.empty {
            if slots[index].key == key { return }
            index = index + 1 == slots.count ? 0 : index + 1
        }
        slots[index] = Slot(key: key, merge: Merge(priority: priority, result: result))
        count += 1
    }

    /// Shrinks the table to 3/4 full once every merge is added.
    mutating func shrinkToFit() {
        rehash(capacity: max(16, count + count / 3 + 1))
    }

    private mutating func rehash(capacity: Int) {
        let old = slots
        slots = [Slot](repeating: Slot(key: Self.empty, merge: Merge(priority: 0, result: -1)), count: capacity)
        for slot in old where slot.key != Self.empty {
            var index = Self.home(of: slot.key, capacity: capacity)
            while slots[index].key != Self.empty { index = index + 1 == capacity ? 0 : index + 1 }
            slots[index] = slot
        }
    }

    @inline(__always)
    func merge(_ left: Int32, _ right: Int32) -> Merge? {
        guard !slots.isEmpty else { return nil }
        let key = Self.key(left, right)
        var index = Self.home(of: key, capacity: slots.count)
        while true {
            let found = slots[index].key
            if found == key { return slots[index].merge }
            if found == Self.empty { return nil }
            index = index + 1 == slots.count ? 0 : index + 1
        }
    }
}
