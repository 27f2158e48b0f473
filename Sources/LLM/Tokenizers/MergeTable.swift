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

    // Open addressing keyed by `left << 32 | right` (Swift's Dictionary hashing is slower).
    private var keys: [UInt64] = []
    private var values: [Merge] = []
    private(set) var count = 0
    private static let empty = UInt64.max

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E3779B97F4A7C15) >> 29) & (keys.count - 1)
    }

    /// Records that `left right` merges into `result`; the first record of a pair wins.
    mutating func add(left: Int32, right: Int32, result: Int32, priority: Float) {
        if (count + 1) * 2 > keys.count { grow() }
        let key = Self.key(left, right)
        var index = slot(for: key)
        while keys[index] != Self.empty {
            if keys[index] == key { return }
            index = (index + 1) & (keys.count - 1)
        }
        keys[index] = key
        values[index] = Merge(priority: priority, result: result)
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let capacity = max(1024, keys.count * 2)
        keys = [UInt64](repeating: Self.empty, count: capacity)
        values = [Merge](repeating: Merge(priority: 0, result: -1), count: capacity)
        for (index, key) in oldKeys.enumerated() where key != Self.empty {
            var target = slot(for: key)
            while keys[target] != Self.empty { target = (target + 1) & (capacity - 1) }
            keys[target] = key
            values[target] = oldValues[index]
        }
    }

    @inline(__always)
    func merge(_ left: Int32, _ right: Int32) -> Merge? {
        guard !keys.isEmpty else { return nil }
        let key = Self.key(left, right)
        var index = slot(for: key)
        while true {
            let found = keys[index]
            if found == key { return values[index] }
            if found == Self.empty { return nil }
            index = (index + 1) & (keys.count - 1)
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
