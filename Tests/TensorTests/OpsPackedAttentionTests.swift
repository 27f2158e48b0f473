import Tensor
import XCTest

final class OpsPackedAttentionTests: XCTestCase {
    private let table = RoPETable(rotaryDim: 4, maxPositions: 256, base: 10_000)

    private var cases: [(sequences: [Range<Int>], configuration: AttentionConfiguration)] {
        [
            ([0..<5, 5..<8, 8..<14], AttentionConfiguration(queryCount: 14, heads: 4, kvHeads: 2, headDim: 4)),
            ([0..<1, 1..<7], AttentionConfiguration(queryCount: 7, heads: 3, kvHeads: 1, headDim: 6,
                                                    scale: 0.7, slidingWindow: 3, softCap: 2)),
            // Sequences longer than one 64-row block.
            ([0..<70, 70..<150], AttentionConfiguration(queryCount: 150, heads: 2, kvHeads: 1, headDim: 4)),
        ]
    }

    private func inputs(_ c: AttentionConfiguration, seed: UInt64) -> (Tensor, Tensor, Tensor) {
        (OpsGradientCheck.randomTensor([c.queryCount, c.queryWidth], seed: seed),
         OpsGradientCheck.randomTensor([c.queryCount, c.keyWidth], seed: seed + 1),
         OpsGradientCheck.randomTensor([c.queryCount, c.keyWidth], seed: seed + 2))
    }

    /// Positions restart at `start` for every sequence, as in a packed batch.
    private func positions(_ sequences: [Range<Int>], start: Int = 0) -> [Int] {
        sequences.flatMap { Array(start ..< start + $0.count) }
    }

    /// Rotate, then one `attention` call per sequence on row slices, then concatenate.
    private func unfused(_ q: Tensor, _ k: Tensor, _ v: Tensor, _ sequences: [Range<Int>],
                         _ c: AttentionConfiguration, rotary: Bool) -> Tensor {
        let positions = positions(sequences)
        let rq = rotary ? rotaryEmbedding(q, table: table, positions: positions, heads: c.heads) : q
        let rk = rotary ? rotaryEmbedding(k, table: table, positions: positions, heads: c.kvHeads) : k
        let outputs = sequences.map { rows in
            var single = c
            single.queryCount = rows.count
            return attention(query: rq.rows(rows), key: rk.rows(rows), value: v.rows(rows), configuration: single)
        }
        return Tensor.concatenate(outputs, alongAxis: 0)
    }

    private func packed(_ q: Tensor, _ k: Tensor, _ v: Tensor, _ sequences: [Range<Int>],
                        _ c: AttentionConfiguration, rotary: Bool) -> Tensor {
        packedAttention(query: q, key: k, value: v, sequences: sequences, configuration: c,
                        rotary: rotary ? RotaryPositions(table: table, positions: positions(sequences)) : nil)
    }

    func testForwardEqualsPerSequenceAttention() {
        for (index, (sequences, c)) in cases.enumerated() {
            let (q, k, v) = inputs(c, seed: 100 + UInt64(index) * 3)
            for rotary in [false, true] {
                let expected = unfused(q, k, v, sequences, c, rotary: rotary).scalars
                let out = packed(q, k, v, sequences, c, rotary: rotary).scalars
                XCTAssertLessThan(OpsGradientCheck.maxDifference(out, expected), 1e-6, "case \(index), rotary \(rotary)")
            }
        }
    }

    func testGradientsEqualPerSequenceAttention() {
        for (index, (sequences, c)) in cases.enumerated() {
            let (q, k, v) = inputs(c, seed: 200 + UInt64(index) * 3)
            for input in [q, k, v] { input.requiresGrad = true }
            let upstream = OpsGradientCheck.randomTensor([c.queryCount, c.queryWidth], seed: 250 + UInt64(index))
            for rotary in [false, true] {
                unfused(q, k, v, sequences, c, rotary: rotary).backward(upstream)
                let expected = [q, k, v].map { $0.grad!.scalars }
                for input in [q, k, v] { input.zeroGradient() }
                packed(q, k, v, sequences, c, rotary: rotary).backward(upstream)
                for (input, reference) in zip([q, k, v], expected) {
                    XCTAssertLessThan(OpsGradientCheck.maxDifference(input.grad!.scalars, reference), 1e-5,
                                      "case \(index), rotary \(rotary)")
                    input.zeroGradient()
                }
            }
        }
    }

    func testFiniteDifferences() {
        let (sequences, c) = cases[1]
        let (q, k, v) = inputs(c, seed: 300)
        OpsGradientCheck.check([q, k, v]) { packed(q, k, v, sequences, c, rotary: true) }
    }

    func testOnlyTheInputsThatRequireGradGetOne() {
        let (sequences, c) = cases[0]
        let (q, k, v) = inputs(c, seed: 400)
        k.requiresGrad = true
        packed(q, k, v, sequences, c, rotary: true).backward(Tensor(shape: [c.queryCount, c.queryWidth], repeating: 1))
        XCTAssertNotNil(k.grad)
        XCTAssertNil(q.grad)
        XCTAssertNil(v.grad)
    }
}
