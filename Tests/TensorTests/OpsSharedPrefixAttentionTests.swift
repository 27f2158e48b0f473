import Tensor
import XCTest

/// `packedAttention` with continuations of a shared prefix (a prompt packed once, followed by its
/// completions) against one plain `attention` call per sequence whose keys and values are the
/// prefix rows followed by its own.
final class OpsSharedPrefixAttentionTests: XCTestCase {
    private let table = RoPETable(rotaryDim: 4, maxPositions: 512, base: 10_000)

    private var cases: [(sequences: [PackedSequence], configuration: AttentionConfiguration)] {
        [
            // A prompt with two completions, then a prompt that stands alone; GQA.
            ([PackedSequence(rows: 0..<5), PackedSequence(rows: 5..<8, prefix: 0..<5),
              PackedSequence(rows: 8..<15, prefix: 0..<5), PackedSequence(rows: 15..<18)],
             AttentionConfiguration(queryCount: 18, heads: 4, kvHeads: 2, headDim: 4)),
            // One-row continuation, a sliding window shorter than the prompt, a soft-cap, odd head size.
            ([PackedSequence(rows: 0..<3), PackedSequence(rows: 3..<4, prefix: 0..<3),
              PackedSequence(rows: 4..<9, prefix: 0..<3)],
             AttentionConfiguration(queryCount: 9, heads: 3, kvHeads: 1, headDim: 6,
                                    scale: 0.7, slidingWindow: 3, softCap: 2)),
            // Prompts and completions longer than one 64-row block, two groups.
            ([PackedSequence(rows: 0..<67), PackedSequence(rows: 67..<140, prefix: 0..<67),
              PackedSequence(rows: 140..<141, prefix: 0..<67), PackedSequence(rows: 141..<150),
              PackedSequence(rows: 150..<221, prefix: 141..<150)],
             AttentionConfiguration(queryCount: 221, heads: 2, kvHeads: 1, headDim: 4)),
        ]
    }

    private func inputs(_ c: AttentionConfiguration, seed: UInt64) -> (Tensor, Tensor, Tensor) {
        (OpsGradientCheck.randomTensor([c.queryCount, c.queryWidth], seed: seed),
         OpsGradientCheck.randomTensor([c.queryCount, c.keyWidth], seed: seed + 1),
         OpsGradientCheck.randomTensor([c.queryCount, c.keyWidth], seed: seed + 2))
    }

    /// Positions start at 0 for a standalone sequence and at the prefix's length for a continuation.
    private func positions(_ sequences: [PackedSequence]) -> [Int] {
        sequences.flatMap { Array($0.prefix.count ..< $0.prefix.count + $0.rows.count) }
    }

    /// Rotate, then per sequence `attention` of its own query rows over [prefix; own] keys and values.
    private func unfused(_ q: Tensor, _ k: Tensor, _ v: Tensor, _ sequences: [PackedSequence],
                         _ c: AttentionConfiguration, rotary: Bool) -> Tensor {
        let positions = positions(sequences)
        let rq = rotary ? rotaryEmbedding(q, table: table, positions: positions, heads: c.heads) : q
        let rk = rotary ? rotaryEmbedding(k, table: table, positions: positions, heads: c.kvHeads) : k
        let outputs = sequences.map { sequence in
            var single = c
            single.queryCount = sequence.rows.count
            single.keyOffset = sequence.prefix.count
            func keys(_ x: Tensor) -> Tensor {
                sequence.prefix.isEmpty ? x.rows(sequence.rows)
                    : Tensor.concatenate([x.rows(sequence.prefix), x.rows(sequence.rows)], alongAxis: 0)
            }
            return attention(query: rq.rows(sequence.rows), key: keys(rk), value: keys(v), configuration: single)
        }
        return Tensor.concatenate(outputs, alongAxis: 0)
    }

    private func packed(_ q: Tensor, _ k: Tensor, _ v: Tensor, _ sequences: [PackedSequence],
                        _ c: AttentionConfiguration, rotary: Bool) -> Tensor {
        packedAttention(query: q, key: k, value: v, sequences: sequences, configuration: c,
                        rotary: rotary ? RotaryPositions(table: table, positions: positions(sequences)) : nil)
    }

    func testForwardEqualsPerSequenceAttentionOverThePrefix() {
        for (index, (sequences, c)) in cases.enumerated() {
            let (q, k, v) = inputs(c, seed: 500 + UInt64(index) * 3)
            for rotary in [false, true] {
                let expected = unfused(q, k, v, sequences, c, rotary: rotary).scalars
                let out = packed(q, k, v, sequences, c, rotary: rotary).scalars
                XCTAssertLessThan(OpsGradientCheck.maxDifference(out, expected), 1e-6, "case \(index), rotary \(rotary)")
            }
        }
    }

    func testGradientsSumEveryContinuationIntoThePrefix() {
        for (index, (sequences, c)) in cases.enumerated() {
            let (q, k, v) = inputs(c, seed: 600 + UInt64(index) * 3)
            for input in [q, k, v] { input.requiresGrad = true }
            let upstream = OpsGradientCheck.randomTensor([c.queryCount, c.queryWidth], seed: 650 + UInt64(index))
            for rotary in [false, true] {
                unfused(q, k, v, sequences, c, rotary: rotary).backward(upstream)
                let expected = [q, k, v].map { $0.grad!.scalars }
                for input in [q, k, v] { input.zeroGradient() }
                packed(q, k, v, sequences, c, rotary: rotary).backward(upstream)
                for (name, (input, reference)) in zip(["query", "key", "value"], zip([q, k, v], expected)) {
                    XCTAssertLessThan(OpsGradientCheck.maxDifference(input.grad!.scalars, reference), 1e-5,
                                      "case \(index), rotary \(rotary), d\(name)")
                    input.zeroGradient()
                }
            }
        }
    }

    func testAContinuationDoesNotSeeItsSiblings() {
        // Changing the second completion's keys and values leaves the first's outputs alone.
        let (sequences, c) = cases[0]
        let (q, k, v) = inputs(c, seed: 700)
        let before = packed(q, k, v, sequences, c, rotary: true)
        var kScalars = k.scalars, vScalars = v.scalars
        for i in (8 * c.keyWidth) ..< (15 * c.keyWidth) { kScalars[i] += 1; vScalars[i] -= 1 }
        let after = packed(q, Tensor(shape: k.shape, scalars: kScalars), Tensor(shape: v.shape, scalars: vScalars),
                           sequences, c, rotary: true)
        let firstCompletion = (5 * c.queryWidth) ..< (8 * c.queryWidth)
        XCTAssertEqual(Array(before.scalars[firstCompletion]), Array(after.scalars[firstCompletion]))
        XCTAssertNotEqual(Array(before.scalars[(8 * c.queryWidth)...]), Array(after.scalars[(8 * c.queryWidth)...]))
    }

    func testFiniteDifferences() {
        let (sequences, c) = cases[1]
        let (q, k, v) = inputs(c, seed: 800)
        OpsGradientCheck.check([q, k, v]) { packed(q, k, v, sequences, c, rotary: true) }
    }
}
