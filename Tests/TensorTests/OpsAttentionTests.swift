import Foundation
import Tensor
import XCTest

final class OpsAttentionTests: XCTestCase {
    /// Straightforward attention in Double, one query at a time.
    private func reference(_ q: [Float], _ k: [Float], _ v: [Float], _ c: AttentionConfiguration) -> [Float] {
        var out = [Float](repeating: 0, count: c.queryCount * c.queryWidth)
        let group = c.heads / c.kvHeads
        for t in 0..<c.queryCount {
            let position = c.keyOffset + t
            for h in 0..<c.heads {
                let g = h / group
                var scores: [(Int, Double)] = []
                for j in 0...(c.isCausal ? position : c.keyCount - 1) {
                    if c.isCausal, let window = c.slidingWindow, position - j >= window { continue }
                    var dot = 0.0
                    for i in 0..<c.headDim {
                        dot += Double(q[t * c.queryWidth + h * c.headDim + i]) * Double(k[j * c.keyWidth + g * c.headDim + i])
                    }
                    var score = dot * Double(c.scale)
                    if let cap = c.softCap { score = Double(cap) * tanh(score / Double(cap)) }
                    scores.append((j, score))
                }
                let top = scores.map(\.1).max()!
                let total = scores.map { exp($0.1 - top) }.reduce(0, +)
                for (j, score) in scores {
                    let p = exp(score - top) / total
                    for i in 0..<c.headDim {
                        out[t * c.queryWidth + h * c.headDim + i] += Float(p * Double(v[j * c.keyWidth + g * c.headDim + i]))
                    }
                }
            }
        }
        return out
    }

    private var configurations: [AttentionConfiguration] {
        [
            AttentionConfiguration(queryCount: 5, heads: 4, kvHeads: 2, headDim: 4),
            AttentionConfiguration(queryCount: 3, keyOffset: 4, heads: 3, kvHeads: 1, headDim: 4),
            AttentionConfiguration(queryCount: 6, heads: 2, kvHeads: 2, headDim: 4, slidingWindow: 3),
            AttentionConfiguration(queryCount: 4, keyOffset: 2, heads: 4, kvHeads: 2, headDim: 4,
                                   scale: 0.8, slidingWindow: 2, softCap: 2),
            AttentionConfiguration(queryCount: 5, heads: 2, kvHeads: 1, headDim: 4, isCausal: false),
            // More than one 64-row block, with and without a window and a prefix.
            AttentionConfiguration(queryCount: 70, keyOffset: 3, heads: 2, kvHeads: 1, headDim: 4),
            AttentionConfiguration(queryCount: 140, heads: 2, kvHeads: 2, headDim: 4, slidingWindow: 50),
        ]
    }

    private func inputs(_ c: AttentionConfiguration, seed: UInt64) -> (Tensor, Tensor, Tensor) {
        (OpsGradientCheck.randomTensor([c.queryCount, c.queryWidth], seed: seed),
         OpsGradientCheck.randomTensor([c.keyCount, c.keyWidth], seed: seed + 1),
         OpsGradientCheck.randomTensor([c.keyCount, c.keyWidth], seed: seed + 2))
    }

    func testForwardMatchesReference() {
        for (index, c) in configurations.enumerated() {
            let (q, k, v) = inputs(c, seed: 30 + UInt64(index) * 3)
            let out = attention(query: q, key: k, value: v, configuration: c).scalars
            XCTAssertLessThan(OpsGradientCheck.maxDifference(out, reference(q.scalars, k.scalars, v.scalars, c)), 1e-5, "configuration \(index)")
        }
    }

    func testKVPrefixMatchesTheTailOfAFullCall() {
        let full = AttentionConfiguration(queryCount: 7, heads: 4, kvHeads: 2, headDim: 8, slidingWindow: 4)
        let (q, k, v) = inputs(full, seed: 50)
        let all = attention(query: q, key: k, value: v, configuration: full).scalars
        var tail = full
        tail.queryCount = 2
        tail.keyOffset = 5
        let lastQueries = Tensor(shape: [2, full.queryWidth], scalars: Array(q.scalars[(5 * full.queryWidth)...]))
        let decoded = attention(query: lastQueries, key: k, value: v, configuration: tail).scalars
        XCTAssertLessThan(OpsGradientCheck.maxDifference(decoded, Array(all[(5 * full.queryWidth)...])), 1e-6)
        // A cache with spare rows beyond the filled ones gives the same result.
        let spare = [Float](repeating: 100, count: 3 * full.keyWidth)
        let cacheKeys = Tensor(shape: [10, full.keyWidth], scalars: k.scalars + spare)
        let cacheValues = Tensor(shape: [10, full.keyWidth], scalars: v.scalars + spare)
        let fromCache = attention(query: lastQueries, key: cacheKeys, value: cacheValues, configuration: tail).scalars
        XCTAssertEqual(fromCache, decoded)
    }

    func testAttentionGradients() {
        for (index, c) in configurations.enumerated() {
            let (q, k, v) = inputs(c, seed: 60 + UInt64(index) * 3)
            OpsGradientCheck.check([q, k, v], samplesPerInput: c.queryCount > 64 ? 8 : 40) {
                attention(query: q, key: k, value: v, configuration: c)
            }
        }
    }

    func testGradientsFlowWhenOnlySomeInputsRequireThem() {
        let c = configurations[0]
        let (q, k, v) = inputs(c, seed: 70)
        v.requiresGrad = true
        attention(query: q, key: k, value: v, configuration: c).backward(Tensor(shape: [c.queryCount, c.queryWidth], repeating: 1))
        XCTAssertNotNil(v.grad)
        XCTAssertNil(q.grad)
        // Each query row's weights sum to 1, so Σ_j dV[j] over one head's columns is T per column.
        let total = v.grad!.scalars.reduce(0, +)
        XCTAssertEqual(total, Float(c.queryCount * c.queryWidth), accuracy: 1e-3)
    }
}

final class OpsAttentionThreadingTests: XCTestCase {
    /// Attention calls overlapping on several threads leave OpenBLAS's thread count as it was.
    func testConcurrentCallsRestoreTheBLASThreadCount() {
        let before = BLAS.threadCount
        let c = AttentionConfiguration(queryCount: 16, heads: 4, kvHeads: 2, headDim: 8)
        let q = OpsGradientCheck.randomTensor([16, 32], seed: 95)
        let k = OpsGradientCheck.randomTensor([16, 16], seed: 96), v = OpsGradientCheck.randomTensor([16, 16], seed: 97)
        let expected = Autograd.noGrad { attention(query: q, key: k, value: v, configuration: c) }.scalars
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let out = Autograd.noGrad { attention(query: q, key: k, value: v, configuration: c) }.scalars
            XCTAssertEqual(out, expected)
        }
        XCTAssertEqual(BLAS.threadCount, before)
    }
}
