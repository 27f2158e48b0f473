/// What two adjacent symbols merge into, and how early.
struct Merge: Sendable {
    /// Lower merges first: the merge rank, or minus the SentencePiece score.
    var priority: Float
    var result: Int32
}

/// Applies BPE merges to a word's symbols: repeatedly merge the adjacent pair with the lowest
/// priority (ties to the leftmost) until no pair has a merge.
///
/// Short words use a direct scan; long ones a binary heap of candidate pairs whose stale
/// entries are skipped when popped (as in tokenizers and llama.cpp).
protocol MergeRule: Sendable {
    /// The merge of `left` followed by `right`, if they merge.
    func merge(_ left: Int32, _ right: Int32) -> Merge?
}

extension MergeRule {
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

    private func applyWithHeap(_ input: [Int32]) -> [Int32] {
        var ids = input
        let n = ids.count
        var next = Array(1...n)            // n means none
        var previous = Array(-1..<(n - 1))  // -1 means none
        var alive = [Bool](repeating: true, count: n)
        var heap = [MergeCandidate]()
        heap.reserveCapacity(n)

        func push(_ candidate: MergeCandidate) {
            heap.append(candidate)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].precedes(heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }
        func pop() -> MergeCandidate? {
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
            push(MergeCandidate(priority: merge.priority, position: position, left: ids[position], right: ids[right]))
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

/// A pair waiting in `applyWithHeap`.
private struct MergeCandidate {
    var priority: Float
    var position: Int
    var left: Int32
    var right: Int32

    func precedes(_ other: MergeCandidate) -> Bool {
        priority != other.priority ? priority < other.priority : position < other.position
    }
}
