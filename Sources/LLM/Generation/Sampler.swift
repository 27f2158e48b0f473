import Foundation
import Tensor

/// How the next token is chosen from a row of logits. The processors run in Hugging Face's
/// order: repetition penalty, temperature, top-k, top-p, min-p; then a draw (or argmax).
public struct SamplingOptions: Sendable, Equatable {
    /// 0 (or `greedy`) picks the most likely token.
    public var temperature: Float = 1
    /// Keep only the `topK` most likely tokens (0 = off).
    public var topK: Int = 0
    /// Keep the smallest set of tokens whose probability reaches `topP` (1 = off).
    public var topP: Float = 1
    /// Drop tokens less likely than `minP` × the most likely one (0 = off).
    public var minP: Float = 0
    /// > 1 discourages tokens already in the context (HF's CTRL-style penalty; 1 = off).
    public var repetitionPenalty: Float = 1
    /// Always take the argmax, whatever the other settings.
    public var greedy: Bool = false

    public init(temperature: Float = 1, topK: Int = 0, topP: Float = 1, minP: Float = 0,
                repetitionPenalty: Float = 1, greedy: Bool = false) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.greedy = greedy
    }

    /// Greedy decoding.
    public static let greedy = SamplingOptions(greedy: true)

    var isGreedy: Bool { greedy || temperature <= 0 }
}

/// The vocabulary-sized buffers of one `Sampler.nextToken` call (49k–262k entries), kept for
/// the next one: a rollout draws a token per row per step and need not allocate them each time.
public final class SamplingScratch {
    var buckets: [UInt8] = []
    var ids: [Int32] = []
    var allIDs: [Int32] = []

    public init() {}
}

/// Picks tokens from logits rows according to `SamplingOptions`.
public struct Sampler {
    public var options: SamplingOptions

    public init(options: SamplingOptions) {
        self.options = options
    }

    /// The next token for one row of logits. `context` is every token seen so far in this
    /// sequence (prompt and generated), used by the repetition penalty. `uniform` returns a
    /// draw in [0, 1) from the caller's seeded sampling stream.
    ///
    /// The draw walks the candidates from the most likely down (ties: the lower id first) until
    /// the cumulative probability passes u · total. Candidates come from a heap one at a time,
    /// so only the head of the distribution that the draw, top-k, top-p or min-p needs is ever
    /// put in order; the heap holds only that head's tokens (`HeadFirstRanking`, which finds it
    /// from the probability mass per octave) unless the walk goes past it. Without top-k, the
    /// total is summed by `softmaxNumeratorSums` (vectorized, in id order by lanes) rather than in
    /// score order, which moves it by a few units in the last place: the token differs from a
    /// fully sorted walk only when u lands that close to a boundary between two tokens.
    ///
    /// `scratch` holds the vocabulary-sized buffers between calls (one per thread at a time):
    /// without one, each call allocates and frees them.
    public func nextToken(logits: UnsafeBufferPointer<Float>, context: [Int],
                          scratch: SamplingScratch = SamplingScratch(), uniform: () -> Double) -> Int {
        guard options.repetitionPenalty != 1 else { return nextToken(scores: logits, scratch: scratch, uniform: uniform) }
        var penalized = Array(logits)
        for token in Set(context) where token >= 0 && token < penalized.count {
            let score = penalized[token]
            penalized[token] = score < 0 ? score * options.repetitionPenalty : score / options.repetitionPenalty
        }
        return penalized.withUnsafeBufferPointer { nextToken(scores: $0, scratch: scratch, uniform: uniform) }
    }

    /// The next token for `scores` (after the repetition penalty), read in place.
    private func nextToken(scores: UnsafeBufferPointer<Float>, scratch: SamplingScratch, uniform: () -> Double) -> Int {
        if options.isGreedy { return Sampler.argmax(scores) }
        guard !scores.isEmpty else { return 0 }
        let inverseTemperature = Double(1 / options.temperature)
        // The ranking's first candidate: the highest score, the lower id on ties.
        let best = Sampler.argmax(scores)
        // Softmax numerators in Double, relative to the largest score.
        let maxScore = Double(scores[best]) * inverseTemperature
        func probability(_ token: Int) -> Double { exp(Double(scores[token]) * inverseTemperature - maxScore) }
        func bucket(_ token: Int) -> Int { HeadFirstRanking.bucket(gap: maxScore - Double(scores[token]) * inverseTemperature) }

        if options.topK > 0 && options.topK < scores.count {
            // The head: the fewest buckets that hold topK tokens.
            var counts = [Int](repeating: 0, count: HeadFirstRanking.bucketCount)
            for token in scores.indices { counts[bucket(token)] += 1 }
            var lastBucket = 0, held = counts[0]
            while held < options.topK && lastBucket < counts.count - 1 {
                lastBucket += 1
                held += counts[lastBucket]
            }
            var ranking = HeadFirstRanking(scores: scores, lastBucket: lastBucket, scratch: scratch, bucketOf: bucket)
            defer { ranking.returnStorage() }
            var candidates: [Int] = []
            while candidates.count < options.topK, let token = ranking.take() { candidates.append(token) }
            let probabilities = candidates.map(probability)
            return draw(candidates, probabilities, total: probabilities.reduce(0, +), topP: options.topP, uniform: uniform)
        }

        // The total, how much of it each bucket of the head holds, and each token's bucket.
        var mass = [Double](repeating: 0, count: HeadFirstRanking.bucketCount)
        if scratch.buckets.count != scores.count { scratch.buckets = [UInt8](repeating: 0, count: scores.count) }
        let total = scratch.buckets.withUnsafeMutableBufferPointer { buckets in
            mass.withUnsafeMutableBufferPointer { mass in
                softmaxNumeratorSums(scores: scores, inverseTemperature: inverseTemperature, maxScore: maxScore,
                                     buckets: buckets, mass: mass)
            }
        }
        let buckets = scratch.buckets
        defer { scratch.buckets = buckets }
        scratch.buckets = []  // `buckets` is now the array's only owner: no copy on the next call's writes
        func knownBucket(_ token: Int) -> Int { Int(buckets[token]) }
        var candidates: [Int] = [], probabilities: [Double] = []
        if options.topP < 1 {
            // The smallest head whose probability reaches topP.
            let lastBucket = HeadFirstRanking.lastBucket(covering: Double(options.topP) * total, of: mass)
            var ranking = HeadFirstRanking(scores: scores, lastBucket: lastBucket, scratch: scratch, bucketOf: knownBucket)
            defer { ranking.returnStorage() }
            var cumulative = 0.0
            while let token = ranking.take() {
                let p = probability(token)
                candidates.append(token)
                probabilities.append(p)
                cumulative += p / total
                if cumulative >= Double(options.topP) { break }
            }
        } else if options.minP > 0 {
            // The head at least minP × as likely as the most likely token (and the token after it).
            let threshold = probability(best) * Double(options.minP)
            let lastBucket = options.minP >= 1 ? 1 : HeadFirstRanking.bucket(gap: -log(Double(options.minP))) + 1
            var ranking = HeadFirstRanking(scores: scores, lastBucket: lastBucket, scratch: scratch, bucketOf: knownBucket)
            defer { ranking.returnStorage() }
            while let token = ranking.next(), candidates.isEmpty || probability(token) >= threshold {
                candidates.append(token)
                probabilities.append(probability(token))
                _ = ranking.take()
            }
        } else {
            // Temperature only: walk down until the draw is passed.
            let target = uniform() * total
            let lastBucket = HeadFirstRanking.lastBucket(covering: target, of: mass)
            var ranking = HeadFirstRanking(scores: scores, lastBucket: lastBucket, scratch: scratch, bucketOf: knownBucket)
            defer { ranking.returnStorage() }
            var cumulative = 0.0, last = best
            while let token = ranking.take() {
                last = token
                cumulative += probability(token)
                if target < cumulative { return token }
            }
            return last
        }
        return draw(candidates, probabilities, total: probabilities.reduce(0, +), topP: 1, uniform: uniform)
    }

    /// Applies top-p (when < 1) and min-p to `candidates` (most likely first, with their
    /// softmax numerators and their sum `total`), then draws one.
    private func draw(_ candidates: [Int], _ probabilities: [Double], total: Double, topP: Float,
                      uniform: () -> Double) -> Int {
        var candidates = candidates, probabilities = probabilities, total = total
        if topP < 1 {
            var cumulative = 0.0
            var keep = probabilities.count
            for (index, probability) in probabilities.enumerated() {
                cumulative += probability / total
                if cumulative >= Double(topP) { keep = index + 1; break }
            }
            candidates.removeSubrange(keep...)
            probabilities.removeSubrange(keep...)
            total = probabilities.reduce(0, +)
        }
        if options.minP > 0 {
            // probabilities[0] is the largest; the threshold is relative to it.
            let threshold = probabilities[0] * Double(options.minP)
            let keep = max(1, probabilities.prefix { $0 >= threshold }.count)
            candidates.removeSubrange(keep...)
            probabilities.removeSubrange(keep...)
            total = probabilities.reduce(0, +)
        }
        let target = uniform() * total
        var cumulative = 0.0
        for (index, probability) in probabilities.enumerated() {
            cumulative += probability
            if target < cumulative { return candidates[index] }
        }
        return candidates[candidates.count - 1]
    }

    /// The index of the largest value (the first one on ties).
    public static func argmax(_ values: [Float]) -> Int {
        values.withUnsafeBufferPointer { argmax($0) }
    }

    /// The index of the largest value (the first one on ties).
    public static func argmax(_ values: UnsafeBufferPointer<Float>) -> Int {
        indexOfLargest(values)
    }

    /// The indices of the `k` largest scores, highest first (ties: the lower index first).
    static func largest(_ k: Int, of scores: [Float]) -> [Int] {
        scores.withUnsafeBufferPointer { scores in
            var ranking = CandidateRanking(scores: scores)
            var result: [Int] = []
            while result.count < k, let index = ranking.take() { result.append(index) }
            return result
        }
    }
}
