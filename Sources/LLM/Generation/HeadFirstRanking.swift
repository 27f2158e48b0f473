import Foundation

/// The candidates of a row of scores in `CandidateRanking`'s order (highest first, ties: the
/// lower id first), heaped from a head of the distribution first: a draw, top-p, min-p or top-k
/// almost always ends within the few tokens near the top, so building a heap of the whole
/// vocabulary (49,152 to 262,144 ids) for every token is wasted. The head is every token whose
/// softmax numerator lies within 2^-K of the largest one; since that is an upper set of the
/// scores, its order is the beginning of the full order. Taking past its end builds the full
/// ranking and continues after the head's tokens, so the sequence is always the full one.
struct HeadFirstRanking {
    /// Octaves of probability below the largest one that the buckets tell apart; the last bucket
    /// holds everything further down.
    static let bucketCount = 64

    /// Read in place: valid while the ranking is in use.
    private let scores: UnsafeBufferPointer<Float>
    /// Lends the id buffers; `returnStorage` gives them back.
    private let scratch: SamplingScratch
    private var head: CandidateRanking
    private var headIsEverything: Bool
    private var takenFromHead = 0
    private var full: CandidateRanking?

    /// The bucket of a token whose numerator is e^(−gap) of the largest one (gap ≥ 0; NaN goes last).
    @inline(__always)
    static func bucket(gap: Double) -> Int {
        let octaves = gap * 1.4426950408889634
        return octaves < Double(bucketCount - 1) ? Int(octaves) : bucketCount - 1
    }

    /// The tokens of `scores` in buckets `0...lastBucket` (`bucketOf` gives each token's) first.
    init(scores: UnsafeBufferPointer<Float>, lastBucket: Int, scratch: SamplingScratch, bucketOf: (Int) -> Int) {
        self.scores = scores
        self.scratch = scratch
        var candidates = Self.borrow(&scratch.ids)
        if lastBucket >= Self.bucketCount - 1 {
            candidates.append(contentsOf: 0..<Int32(scores.count))
        } else {
            // Every id is written and the count advances only for the head's: no branch to
            // mispredict on a flat distribution, where about every other token is in.
            candidates.append(contentsOf: repeatElement(0, count: scores.count))
            var kept = 0
            candidates.withUnsafeMutableBufferPointer { ids in
                for token in 0..<scores.count {
                    ids[kept] = Int32(truncatingIfNeeded: token)
                    kept += bucketOf(token) <= lastBucket ? 1 : 0
                }
            }
            candidates.removeLast(scores.count - kept)
        }
        headIsEverything = candidates.count == scores.count
        head = CandidateRanking(scores: scores, candidates: candidates)
    }

    /// Gives the id buffers back to the scratch (their capacity kept for the next call).
    mutating func returnStorage() {
        scratch.ids = head.releaseStorage()
        if var full {
            scratch.allIDs = full.releaseStorage()
            self.full = nil
        }
    }

    /// `buffer`'s storage, emptied, now owned by the caller alone (so appends do not copy it).
    private static func borrow(_ buffer: inout [Int32]) -> [Int32] {
        var taken: [Int32] = []
        swap(&taken, &buffer)
        taken.removeAll(keepingCapacity: true)
        return taken
    }

    /// The smallest last bucket whose buckets together hold more than `needed` of `mass` (with a
    /// margin for the different order of the sums), or the last bucket.
    static func lastBucket(covering needed: Double, of mass: [Double]) -> Int {
        let goal = needed * (1 + 1e-9)
        var cumulative = 0.0
        for (bucket, part) in mass.enumerated() {
            cumulative += part
            if cumulative > goal { return bucket }
        }
        return bucketCount - 1
    }

    /// The next candidate without taking it, or nil when none is left.
    mutating func next() -> Int? {
        if full == nil, let token = head.next { return token }
        if headIsEverything { return nil }
        buildFullRanking()
        return full!.next
    }

    /// Takes the next candidate, or nil when none is left.
    mutating func take() -> Int? {
        if full == nil, let token = head.take() {
            takenFromHead += 1
            return token
        }
        if headIsEverything { return nil }
        buildFullRanking()
        return full!.take()  // in place: a copy would duplicate the whole heap on every take
    }

    /// The full ranking, past the head's tokens already taken (built on first use).
    private mutating func buildFullRanking() {
        guard full == nil else { return }
        var ids = Self.borrow(&scratch.allIDs)
        ids.append(contentsOf: 0..<Int32(scores.count))
        var ranking = CandidateRanking(scores: scores, candidates: ids)
        for _ in 0..<takenFromHead { _ = ranking.take() }
        full = ranking
    }
}
