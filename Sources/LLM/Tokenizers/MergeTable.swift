/// Applies BPE merges to a word's symbols: repeatedly merge the adjacent pair with the lowest
/// priority (ties to the leftmost) until no pair has a merge.
///
/// Short words use a direct scan; long ones a binary heap of candidate pairs whose stale
/// entries are skipped when popped (as in tokenizers and llama.cpp).
struct MergeTable: Sendable {
    struct Merge: Sendable {
        /// Lower merges first: the merge rank, or minus the SentencePiece score.
        var priority: Float
        var result: Int32
    }

    // Open addressing keyed by `left << 32 | right` (Swift's Dictionary hashing is slower), at
    // most 3/4 full once built (`shrinkToFit`): 11 MiB for Gemma 3's 515k merges.
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

    /// `symbols` after all merges.
    func apply(to symbols: [Int32]) -> [Int32] {
        symbols.count <= 24 ? applyByScanning(symbols) : applyWithHeap(symbols)
    }

    private func applyByScanning(_ input: [Int32]) -> [Int32] {
        var symbols = input
        while symbols.count > 1 {
            var best: Merge?
            var bestIndex = -1
            for i in 0..<(symbols.count - 1) {
                if let merge = merge(symbols[i], symbols[i + 1]),
                   best == nil || merge.priority < best!.priority {
                    best = merge
                    bestIndex = i
                }
            }
            guard let chosen = best else { break }
            symbols[bestIndex] = chosen.result
            symbols.remove(at: bestIndex + 1)
        }
        return symbols
    }

    private struct Candidate {
        var priority: Float
        var position: Int
        var left: Int32
        var right: Int32

        func precedes(_ other: Candidate) -> Bool {
            priority != other.priority ? priority < other.priority : position < other.position
        }
    }

    private func applyWithHeap(_ input: [Int32]) -> [Int32] {
        var ids = input
        let n = ids.count
        var next = Array(1...n)            // n means none
        var previous = Array(-1..<(n - 1))  // -1 means none
        var alive = [Bool](repeating: true, count: n)
        var heap = [Candidate]()
        heap.reserveCapacity(n)

        func push(_ candidate: Candidate) {
            heap.append(candidate)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].precedes(heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }
        func pop() -> Candidate? {
            guard let top = heap.first else { return nil }
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                var parent = 0
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var best = parent
                    if left < heap.count && heap[left].precedes(heap[best]) { best = left }
                    if right < heap.count && heap[right].precedes(heap[best]) { best = right }
                    if best == parent { break }
                    heap.swapAt(parent, best)
                    parent = best
                }
            }
            return top
        }
        func consider(_ position: Int) {
            let right = next[position]
            guard position >= 0, right < n, let merge = merge(ids[position], ids[right]) else { return }
            push(Candidate(priority: merge.priority, position: position, left: ids[position], right: ids[right]))
        }

        for i in 0..<(n - 1) { consider(i) }
        while let candidate = pop() {
            let position = candidate.position
            let right = next[position]
            guard alive[position], right < n, ids[position] == candidate.left, ids[right] == candidate.right,
                  let merge = merge(candidate.left, candidate.right) else { continue }
            ids[position] = merge.result
            alive[right] = false
            next[position] = next[right]
            if next[right] < n { previous[next[right]] = position }
            if previous[position] >= 0 { consider(previous[position]) }
            consider(position)
        }
        var result = [Int32]()
        var i = 0
        while i < n {
            result.append(ids[i])
            i = next[i]
        }
        return result
    }
}
