/// Token ids in the order of their scores, highest first (ties: the lower id first), produced
/// one at a time: a binary max-heap built in one pass over the vocabulary, so drawing from the
/// head of a distribution costs O(V + k log V) instead of sorting all V candidates.
struct CandidateRanking {
    private var heap: [Int32]
    /// Read in place: valid while the ranking is in use.
    private let scores: UnsafeBufferPointer<Float>

    /// Every index of `scores`, ready to be taken in order.
    init(scores: UnsafeBufferPointer<Float>) {
        self.init(scores: scores, candidates: (0..<Int32(scores.count)).map { $0 })
    }

    /// The indices `candidates` of `scores`, ready to be taken in order.
    init(scores: UnsafeBufferPointer<Float>, candidates: [Int32]) {
        self.scores = scores
        heap = candidates
        var node = heap.count / 2 - 1
        while node >= 0 {
            siftDown(node)
            node -= 1
        }
    }

    /// The heap's storage, for reuse; the ranking is empty afterwards.
    mutating func releaseStorage() -> [Int32] {
        var storage: [Int32] = []
        swap(&storage, &heap)
        return storage
    }

    /// True when every candidate has been taken.
    var isEmpty: Bool { heap.isEmpty }

    /// The next candidate without taking it, or nil when none is left.
    var next: Int? { heap.first.map { Int($0) } }

    /// Takes the next candidate (the highest score left), or nil when none is left.
    mutating func take() -> Int? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return Int(first)
    }

    /// True when candidate `a` comes before `b`.
    private static func precedes(_ a: Int32, _ b: Int32, in scores: UnsafeBufferPointer<Float>) -> Bool {
        let scoreA = scores[Int(a)], scoreB = scores[Int(b)]
        return scoreA > scoreB || (scoreA == scoreB && a < b)
    }

    private mutating func siftDown(_ start: Int) {
        let count = heap.count, scores = self.scores
        heap.withUnsafeMutableBufferPointer { nodes in
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < count else { return }
                var best = left
                if left + 1 < count, Self.precedes(nodes[left + 1], nodes[left], in: scores) { best = left + 1 }
                guard Self.precedes(nodes[best], nodes[parent], in: scores) else { return }
                nodes.swapAt(parent, best)
                parent = best
            }
        }
    }
}
