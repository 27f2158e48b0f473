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
        // Head sizes that are multiples of 16 take the four-keys-at-a-time kernel: groups of 4 and of
        // 7 (= 4 + 3) query heads, 32 dimensions (16 at a time) and 80 (64, then 16).
        AttentionConfiguration(queryCount: 0, heads: 8, kvHeads: 2, headDim: 32, softCap: 5),
        AttentionConfiguration(queryCount: 0, heads: 7, kvHeads: 1, headDim: 80, slidingWindow: 37),
    ]

    /// Short caches (one key block) and long ones whose keys span several blocks of
    /// `cachedAttentionKeyBlockSize` in either segment.
    private let cases = [Case(rows: 1, prefix: 0, own: 1), Case(rows: 1, prefix: 60, own: 9),
                         Case(rows: 3, prefix: 11, own: 3), Case(rows: 2, prefix: 0, own: 40), Case(rows: 1, prefix: 17, own: 1),
                         Case(rows: 1, prefix: 130, own: 70), Case(rows: 4, prefix: 0, own: 200), Case(rows: 1, prefix: 64, own: 64)]

    /// Random queries for every case's rows and keys/values in separately allocated segments.
    private final class Batch {
        let query: Tensor
        let sequences: [CachedAttentionSequence]
        /// The same keys and values per case as [prefix + own, keyWidth] tensors.
        let contiguous: [(keys: Tensor, values: Tensor)]
        private let buffers: [UnsafeMutableRawPointer]

        /// `format` .float16 stores the rows as halves; `contiguous` then holds the rounded values.
        init(shape: AttentionConfiguration, cases: [Case], seed: UInt64, format: KeyValueFormat = .float32) {
            var random = RandomStream(seed: seed)
            func values(_ count: Int) -> [Float] { (0..<count).map { _ in random.nextNormal() } }
            let totalRows = cases.reduce(0) { $0 + $1.rows }
            query = Tensor(shape: [totalRows, shape.queryWidth], scalars: values(totalRows * shape.queryWidth))
            var start = 0, sequences: [CachedAttentionSequence] = [], contiguous: [(Tensor, Tensor)] = []
            var allocated: [UnsafeMutableRawPointer] = []
            for c in cases {
                var keys = values((c.prefix + c.own) * shape.keyWidth), vals = values((c.prefix + c.own) * shape.keyWidth)
                if format == .float16 {
                    keys = HalfPrecisionRows.floats(HalfPrecisionRows.rounded(keys))
                    vals = HalfPrecisionRows.floats(HalfPrecisionRows.rounded(vals))
                }
                contiguous.append((Tensor(shape: [c.prefix + c.own, shape.keyWidth], scalars: keys),
                                   Tensor(shape: [c.prefix + c.own, shape.keyWidth], scalars: vals)))
                let split = c.prefix * shape.keyWidth
                func copy(_ part: ArraySlice<Float>) -> UnsafeRawPointer {
                    let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(1, part.count) * format.byteCount, alignment: 64)
                    if format == .float16 {
                        let halves = HalfPrecisionRows.rounded(Array(part))
                        buffer.copyMemory(from: halves, byteCount: halves.count * 2)
                    } else {
                        buffer.copyMemory(from: Array(part), byteCount: part.count * 4)
                    }
                    allocated.append(buffer)
                    return UnsafeRawPointer(buffer)
                }
                let segments = KeyValueSegments(
                    format: format,
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
        assertMatchesContiguousAttention(format: .float32, instructionSet: .current)
    }

    /// Every kernel this CPU runs (plain C, AVX2, AVX-512), not just the one the process picked.
    func testEveryInstructionSetMatchesContiguousAttention() {
        for set in QuantizedInstructionSet.available {
            assertMatchesContiguousAttention(format: .float32, instructionSet: set)
            assertMatchesContiguousAttention(format: .float16, instructionSet: set)
        }
    }

    /// Half-precision rows give the attention of the values they round to.
    func testFloat16RowsMatchAttentionOverTheRoundedValues() {
        assertMatchesContiguousAttention(format: .float16, instructionSet: .current)
    }

    private func assertMatchesContiguousAttention(format: KeyValueFormat, instructionSet: QuantizedInstructionSet,
                                                  file: StaticString = #filePath, line: UInt = #line) {
        for (index, shape) in shapes.enumerated() {
            let batch = Batch(shape: shape, cases: cases, seed: 100 + UInt64(index), format: format)
            let batched = cachedAttention(query: batch.query, sequences: batch.sequences, configuration: shape,
                                          instructionSet: instructionSet).scalars
            var reference: [Float] = []
            for (number, (c, sequence)) in zip(cases, batch.sequences).enumerated() {
                var configuration = shape
                configuration.queryCount = c.rows
                configuration.keyOffset = c.prefix + c.own - c.rows
                let (keys, values) = batch.contiguous[number]
                reference += attention(query: batch.query.rows(sequence.rows), key: keys, value: values, configuration: configuration).scalars
            }
            XCTAssertEqual(batched.count, reference.count, file: file, line: line)
            var worst: Float = 0
            for (a, b) in zip(batched, reference) { worst = max(worst, abs(a - b) / max(1, abs(b))) }
            XCTAssertLessThan(worst, 2e-5, "shape \(index), \(format), \(instructionSet)", file: file, line: line)
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

    /// Rounding to halves and back is exact for halves, ties go to even, and the plain C
    /// conversion gives F16C's bits.
    func testHalfConversionsRoundToNearestEvenOnEveryInstructionSet() {
        let samples: [Float] = [0, Float(bitPattern: 0x8000_0000), 1, -2.5, 65504, 65519.99, 65520, 1e6, -.infinity, .infinity,
                                1 + 1.0 / 2048, 1 + 3.0 / 2048, Float(bitPattern: 0x3380_0000), Float(bitPattern: 0x3300_0000), Float(bitPattern: 0x3300_0001), 6.1e-5, 1e-10]
        var random = RandomStream(seed: 3)
        let values = samples + (0..<997).map { _ in random.nextNormal() * 100 }
        let reference = HalfPrecisionRows.rounded(values, instructionSet: .portable)
        XCTAssertEqual(Array(reference.prefix(12)),
                       [0x0000, 0x8000, 0x3C00, 0xC100, 0x7BFF, 0x7BFF, 0x7C00, 0x7C00, 0xFC00, 0x7C00, 0x3C00, 0x3C02])
        XCTAssertEqual(Array(reference[12..<15]), [0x0001, 0x0000, 0x0001])  // 2^-24; 2^-25 ties to 0; just above
        for set in QuantizedInstructionSet.available {
            XCTAssertEqual(HalfPrecisionRows.rounded(values, instructionSet: set), reference, "\(set)")
            XCTAssertEqual(HalfPrecisionRows.floats(reference, instructionSet: set),
                           HalfPrecisionRows.floats(reference, instructionSet: .portable), "\(set)")
        }
        let everyHalf = (0...UInt16.max).filter { $0 & 0x7C00 != 0x7C00 }  // finite ones
        XCTAssertEqual(HalfPrecisionRows.rounded(HalfPrecisionRows.floats(everyHalf)), everyHalf)
    }
}
