import Foundation
import LLM
import Tensor
import XCTest

/// `Sampler.nextToken` against a reference that sorts every candidate (the sampler's former
/// algorithm): same token for the same draw, with and without top-k, top-p, min-p and penalty.
final class SamplerTests: XCTestCase {
    func testSameTokensAsAFullySortedWalk() {
        var stream = RandomStream(seed: 3)
        let settings: [SamplingOptions] = [
            SamplingOptions(temperature: 1), SamplingOptions(temperature: 0.7),
            SamplingOptions(temperature: 1.3, topK: 50), SamplingOptions(temperature: 0.9, topP: 0.9),
            SamplingOptions(temperature: 1, minP: 0.05), SamplingOptions(temperature: 0.8, topK: 40, topP: 0.8, minP: 0.1),
            SamplingOptions(temperature: 1, topP: 0.95, minP: 0.02, repetitionPenalty: 1.3),
            SamplingOptions(temperature: 1, minP: 2),
        ]
        for (index, options) in settings.enumerated() {
            for trial in 0..<40 {
                // Logits with ties and a long flat tail, as a real vocabulary has.
                let vocabulary = 300 + 97 * trial
                var logits = (0..<vocabulary).map { _ in Float(Int(4 * stream.nextUniform() * 6)) / 4 - 3 }
                logits[trial % vocabulary] = 4
                let context = (0..<10).map { _ in Int(stream.nextUniform() * Float(vocabulary)) }
                let u = Double(stream.nextUniform())
                let expected = Self.sortedReference(logits, context: context, options: options, u: u)
                let sampled = logits.withUnsafeBufferPointer {
                    Sampler(options: options).nextToken(logits: $0, context: context, uniform: { u })
                }
                XCTAssertEqual(sampled, expected, "setting \(index), trial \(trial)")
            }
        }
    }

    func testExtremeDrawsAndTinyVocabularies() {
        for options in [SamplingOptions(temperature: 1), SamplingOptions(temperature: 1, topP: 0.5),
                        SamplingOptions(temperature: 1, minP: 0.5), SamplingOptions(temperature: 1, topK: 2)] {
            for logits in [[Float](arrayLiteral: 0), [1, 1, 1], [-1, 5, 5, 2]] {
                for u in [0, 0.5, 0.999_999_999] {
                    let sampled = logits.withUnsafeBufferPointer {
                        Sampler(options: options).nextToken(logits: $0, context: [], uniform: { u })
                    }
                    XCTAssertEqual(sampled, Self.sortedReference(logits, context: [], options: options, u: u),
                                   "\(logits) u=\(u) \(options)")
                }
            }
        }
    }

    /// Real-sized rows with spread-out logits, where the sampler heaps only the head of the
    /// distribution, and rows whose walk runs past that head (min-p peeking at the token after
    /// the last kept one, top-k deeper than the head's buckets, tiny min-p): the same tokens.
    func testHeadOfALargeVocabularyGivesTheFullWalksToken() {
        var stream = RandomStream(seed: 11)
        let settings: [SamplingOptions] = [
            SamplingOptions(temperature: 0.9), SamplingOptions(temperature: 0.6, topP: 0.999),
            SamplingOptions(temperature: 1, minP: 0.5), SamplingOptions(temperature: 1, minP: 1e-9),
            SamplingOptions(temperature: 1.2, topK: 3000), SamplingOptions(temperature: 0.9, topK: 7, topP: 0.9),
        ]
        var rows: [[Float]] = (0..<6).map { _ in (0..<20_000).map { _ in 4 * stream.nextNormal() } }
        rows.append([5, 5, 5] + [Float](repeating: -100, count: 5000))  // nothing in the buckets after the head
        rows.append([Float](repeating: 0, count: 4000))  // flat: the head is everything
        for (index, options) in settings.enumerated() {
            for (number, logits) in rows.enumerated() {
                for u in [0, 0.5, 0.999_999, Double(stream.nextUniform())] {
                    let sampled = logits.withUnsafeBufferPointer {
                        Sampler(options: options).nextToken(logits: $0, context: [], uniform: { u })
                    }
                    XCTAssertEqual(sampled, Self.sortedReference(logits, context: [], options: options, u: u),
                                   "setting \(index), row \(number), u=\(u)")
                }
            }
        }
    }

    /// The former algorithm: sort every candidate by score (ties: lower id first), softmax in
    /// Double, top-k, top-p, min-p, then walk the cumulative sum to u · total.
    static func sortedReference(_ logits: [Float], context: [Int], options: SamplingOptions, u: Double) -> Int {
        var scores = logits
        if options.repetitionPenalty != 1 {
            for token in Set(context) where token >= 0 && token < scores.count {
                let score = scores[token]
                scores[token] = score < 0 ? score * options.repetitionPenalty : score / options.repetitionPenalty
            }
        }
        let inverseTemperature = Double(1 / options.temperature)
        var candidates = Array(0..<scores.count)
        candidates.sort { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        if options.topK > 0 { candidates = Array(candidates.prefix(options.topK)) }
        let maxScore = Double(scores[candidates[0]]) * inverseTemperature
        var probabilities = candidates.map { exp(Double(scores[$0]) * inverseTemperature - maxScore) }
        var total = probabilities.reduce(0, +)
        if options.topP < 1 {
            var cumulative = 0.0, keep = probabilities.count
            for (index, p) in probabilities.enumerated() {
                cumulative += p / total
                if cumulative >= Double(options.topP) { keep = index + 1; break }
            }
            candidates = Array(candidates.prefix(keep))
            probabilities = Array(probabilities.prefix(keep))
            total = probabilities.reduce(0, +)
        }
        if options.minP > 0 {
            let threshold = probabilities[0] * Double(options.minP)
            let keep = max(1, probabilities.prefix { $0 >= threshold }.count)
            candidates = Array(candidates.prefix(keep))
            probabilities = Array(probabilities.prefix(keep))
            total = probabilities.reduce(0, +)
        }
        let target = u * total
        var cumulative = 0.0
        for (index, p) in probabilities.enumerated() {
            cumulative += p
            if target < cumulative { return candidates[index] }
        }
        return candidates[candidates.count - 1]
    }
}
