import Foundation
import Tensor
import XCTest

/// Decode-step attention over KV caches kept as a shared prefix plus a sequence's own rows,
/// against the sgemm-based `attention` over the same keys in one contiguous block.
final class OpsCachedAttentionTests: XCTestCase {
    /// One sequence: `rows` new query rows, `prefix` shared rows and `own` rows of its own
    /// (the new rows' keys are the last `rows` of them).
    private struct Case {
        var rows: Int
        var prefix: Int
        var own: Int
    }

    private let shapes: [AttentionConfiguration] = [
        AttentionConfiguration(queryCount: 0, heads: 9, kvHeads: 3, headDim: 64),  // SmolLM2-135M
        AttentionConfiguration(queryCount: 0, heads: 4, kvHeads: 1, headDim: 20, scale: 0.3, slidingWindow: 5, softCap: 3),
        AttentionConfiguration(queryCount: 0, heads: 2, kvHeads: 2, headDim: 7),
    ]

    private let cases = [Case(rows: 1, prefix: 0, own: 1), Case(rows: 1, prefix: 60, own: 9),
                         Case(rows: 3, prefix: 11, own: 3), Case(rows: 2, prefix: 0, own: 40), Case(rows: 1, prefix: 17, own: 1)]

    /// Random queries for every case's rows and keys/values in separately allocated segments.
    private final class Batch {
        let query: Tensor
        let sequences: [CachedAttentionSequence]
        /// The same keys and values per case as [prefix + own, keyWidth] tensors.
        let contiguous: [(keys: Tensor, values: Tensor)]
        private let buffers: [UnsafeMutablePointer<Float>]

        init(shape: AttentionConfiguration, cases: [Case], seed: UInt64) {
            var random = RandomStream(seed: seed)
            func values(_ count: Int) -> [Float] { (0..<count).map { _ in random.nextNormal() } }
            let totalRows = cases.reduce(0) { $0 + $1.rows }
            query = Tensor(shape: [totalRows, shape.queryWidth], scalars: values(totalRows * shape.queryWidth))
            var start = 0, sequences: [CachedAttentionSequence] = [], contiguous: [(Tensor, Tensor)] = []
            var allocated: [UnsafeMutablePointer<Float>] = []
            for c in cases {
                let keys = values((c.prefix + c.own) * shape.keyWidth), vals = values((c.prefix + c.own) * shape.keyWidth)
                contiguous.append((Tensor(shape: [c.prefix + c.own, shape.keyWidth], scalars: keys),
                                   Tensor(shape: [c.prefix + c.own, shape.keyWidth], scalars: vals)))
                let split = c.prefix * shape.keyWidth
                func copy(_ part: ArraySlice<Float>) -> UnsafePointer<Float> {
                    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, part.count))
                    _ = UnsafeMutableBufferPointer(start: buffer, count: part.count).initialize(from: part)
                    allocated.append(buffer)
                    return UnsafePointer(buffer)
                }
                let segments = KeyValueSegments(
                    prefixKeys: c.prefix > 0 ? copy(keys[..<split]) : nil, prefixValues: c.prefix > 0 ? copy(vals[..<split]) : nil,
                    prefixCount: c.prefix, keys: copy(keys[split...]), values: copy(vals[split...]), count: c.own)
                sequences.append(CachedAttentionSequence(rows: start..<(start + c.rows), cache: segments))
                start += c.rows
            }
            self.sequences = sequences
            self.contiguous = contiguous
            buffers = allocated
        }

        deinit { for buffer in buffers { buffer.deallocate() } }
    }

    func testMatchesContiguousAttentionOverBothSegments() {
        for (index, shape) in shapes.enumerated() {
            let batch = Batch(shape: shape, cases: cases, seed: 100 + UInt64(index))
            let batched = cachedAttention(query: batch.query, sequences: batch.sequences, configuration: shape).scalars
            var reference: [Float] = []
            for (number, (c, sequence)) in zip(cases, batch.sequences).enumerated() {
                var configuration = shape
                configuration.queryCount = c.rows
                configuration.keyOffset = c.prefix + c.own - c.rows
                let (keys, values) = batch.contiguous[number]
                reference += attention(query: batch.query.rows(sequence.rows), key: keys, value: values, configuration: configuration).scalars
            }
            XCTAssertEqual(batched.count, reference.count)
            for (i, (a, b)) in zip(batched, reference).enumerated() {
                XCTAssertEqual(a, b, accuracy: 2e-5 * max(1, abs(b)), "shape \(index) value \(i)")
            }
        }
    }

    func testEachSequenceGetsTheSameBitsAloneAndOnAnyThreadCount() {
        let shape = shapes[0]
        let batch = Batch(shape: shape, cases: cases, seed: 7)
        let batched = cachedAttention(query: batch.query, sequences: batch.sequences, configuration: shape).scalars
        let width = shape.queryWidth
        for sequence in batch.sequences {
            let alone = cachedAttention(query: batch.query, sequences: [sequence], configuration: shape).scalars
            let rows = (sequence.rows.lowerBound * width)..<(sequence.rows.upperBound * width)
            XCTAssertEqual(Array(alone[rows]), Array(batched[rows]), "rows \(sequence.rows)")
        }
        let saved = Parallel.threadCount
        defer { Parallel.setThreadCount(saved) }
        for threads in [1, 2, 3] {
            Parallel.setThreadCount(threads)
            XCTAssertEqual(cachedAttention(query: batch.query, sequences: batch.sequences, configuration: shape).scalars,
                           batched, "\(threads) threads")
        }
    }
}
