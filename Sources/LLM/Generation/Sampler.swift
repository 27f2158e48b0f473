import Foundation

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

/// Picks tokens from logits rows according to `SamplingOptions`.
public struct Sampler {
    public var options: SamplingOptions

    public init(options: SamplingOptions) {
        self.options = options
    }

    /// The next token for one row of logits. `context` is every token seen so far in this
    /// sequence (prompt and generated), used by the repetition penalty. `uniform` returns a
    /// draw in [0, 1) from the caller's seeded sampling stream.
    public func nextToken(logits: UnsafeBufferPointer<Float>, context: [Int],
                          uniform: () -> Double) -> Int {
        var scores = Array(logits)
        if options.repetitionPenalty != 1 {
            for token in Set(context) where token >= 0 && token < scores.count {
                let score = scores[token]
                scores[token] = score < 0 ? score * options.repetitionPenalty : score / options.repetitionPenalty
            }
        }
        if options.isGreedy { return Sampler.argmax(scores) }

        let inverseTemperature = 1 / options.temperature
        // Candidates sorted by score, highest first (ties keep the lower id first).
        var candidates = Array(0..<scores.count)
        if options.topK > 0 && options.topK < candidates.count {
            candidates = Sampler.largest(options.topK, of: scores)
        } else {
            candidates.sort { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        }
        // Softmax over the candidates in Double.
        let maxScore = Double(scores[candidates[0]]) * Double(inverseTemperature)
        var probabilities = candidates.map { exp(Double(scores[$0]) * Double(inverseTemperature) - maxScore) }
        var total = probabilities.reduce(0, +)

        if options.topP < 1 {
            var cumulative = 0.0
            var keep = probabilities.count
            for (index, probability) in probabilities.enumerated() {
                cumulative += probability / total
                if cumulative >= Double(options.topP) { keep = index + 1; break }
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
        var best = 0
        var bestValue = -Float.infinity
        for index in 0..<values.count where values[index] > bestValue {
            best = index
            bestValue = values[index]
        }
        return best
    }

    /// The indices of the `k` largest scores, highest first.
    static func largest(_ k: Int, of scores: [Float]) -> [Int] {
        // A min-heap of size k would be faster for huge vocabularies; a partial selection by
        // threshold keeps this simple and exact.
        var indices = Array(0..<scores.count)
        indices.sort { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        return Array(indices.prefix(k))
    }
}
