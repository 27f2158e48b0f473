import Foundation
import Tensor
import XCTest

/// `softmaxNumeratorSums` against the scalar pass it replaced in the sampler (libm's exp in
/// Double, summed in id order): the same bucket for every token, masses within a few units in
/// the last place, the total within the rounding of either order of summation, NaN and −∞
/// scores handled as before.
final class SoftmaxMassKernelTests: XCTestCase {
    func testMatchesTheScalarPass() {
        var stream = RandomStream(seed: 5)
        for (count, spread) in [(1, 1.0), (7, 3.0), (8, 0.5), (1_003, 4.0), (49_152, 6.0), (20_001, 40.0)] {
            var scores = (0..<count).map { _ in Float(Double(stream.nextNormal()) * spread) }
            if count > 100 {
                scores[3] = -.infinity
                scores[50] = -1e30
            }
            let inverseTemperature = 1 / 0.9
            let maxScore = Double(scores.max()!) * inverseTemperature
            let expected = Self.scalarPass(scores, inverseTemperature: inverseTemperature, maxScore: maxScore)
            let (total, buckets, mass) = Self.vectorPass(scores, inverseTemperature: inverseTemperature, maxScore: maxScore)
            XCTAssertEqual(buckets, expected.buckets, "count \(count)")
            // Eight partial sums against one: each order rounds ~n·ε apart over n terms at worst.
            XCTAssertEqual(total, expected.total, accuracy: expected.total * 1e-12, "count \(count)")
            for bucket in 0..<mass.count {
                XCTAssertEqual(mass[bucket], expected.mass[bucket], accuracy: expected.mass[bucket] * 1e-14 + 1e-300,
                               "count \(count), bucket \(bucket)")
            }
        }
    }

    func testEachNumeratorIsWithinAFewUnitsOfLibm() {
        // One score per call: the total is that token's numerator.
        for gap in Array(stride(from: 0.0, through: 700, by: 0.37)) + [1e-12, 707.9, 708.5, 1000] {
            let x = Double(Float(-gap))
            let (total, _, _) = Self.vectorPass([Float(-gap)], inverseTemperature: 1, maxScore: 0)
            let expected = x >= -708 ? Foundation.exp(x) : 0
            XCTAssertEqual(total, expected, accuracy: expected * 1e-15, "gap \(gap)")
        }
    }

    func testNaNScoresGoToTheLastBucketAndPoisonTheTotal() {
        let (total, buckets, _) = Self.vectorPass([1, .nan, 0], inverseTemperature: 1, maxScore: 1)
        XCTAssertTrue(total.isNaN)
        XCTAssertEqual(buckets, [0, 63, 1])
    }

    /// The plain C loop and the AVX2 one (16 tokens at a time, the rest by the plain loop) give
    /// the same bits, at every length around the vector sizes and for NaN, −∞ and far-off scores.
    func testEveryInstructionSetGivesTheSameBits() {
        var stream = RandomStream(seed: 9)
        for count in [1, 7, 8, 15, 16, 17, 31, 33, 1_000, 49_152] {
            var scores = (0..<count).map { _ in Float(Double(stream.nextNormal()) * 5) }
            if count > 20 {
                scores[2] = -.infinity
                scores[9] = .nan
                scores[17] = -1e30
            }
            let maxScore = Double(scores.filter { !$0.isNaN }.max()!) / 0.7
            let reference = Self.vectorPass(scores, inverseTemperature: 1 / 0.7, maxScore: maxScore, instructionSet: .portable)
            for set in QuantizedInstructionSet.available where set != .portable {
                let other = Self.vectorPass(scores, inverseTemperature: 1 / 0.7, maxScore: maxScore, instructionSet: set)
                XCTAssertEqual(other.total.bitPattern, reference.total.bitPattern, "count \(count), \(set)")
                XCTAssertEqual(other.buckets, reference.buckets, "count \(count), \(set)")
                XCTAssertEqual(other.mass.map(\.bitPattern), reference.mass.map(\.bitPattern), "count \(count), \(set)")
            }
        }
    }

    /// The first index of the largest value, as a scalar walk with `>` finds it: ties, NaN,
    /// −∞ everywhere, ±0 and lengths around the vector width.
    func testIndexOfLargestIsTheFirstLargestValue() {
        func walk(_ values: [Float]) -> Int {
            var best = 0, bestValue = -Float.infinity
            for (index, value) in values.enumerated() where value > bestValue {
                best = index
                bestValue = value
            }
            return best
        }
        var stream = RandomStream(seed: 13)
        var rows: [[Float]] = [[], [.nan], [-.infinity, -.infinity], [.nan, -.infinity, .nan], [-0.0, 0.0, -0.0],
                               Array(repeating: -.infinity, count: 40), [1, 3, 3, .nan, 3]]
        for count in [1, 15, 16, 17, 31, 32, 33, 100, 49_152] {
            var row = (0..<count).map { _ in Float(Int(stream.nextNormal() * 3)) }  // many ties
            if count > 20 { row[count / 2] = .nan }
            rows.append(row)
        }
        for row in rows {
            XCTAssertEqual(row.withUnsafeBufferPointer { indexOfLargest($0) }, walk(row), "\(row.prefix(8))… (\(row.count))")
        }
    }

    private static func vectorPass(_ scores: [Float], inverseTemperature: Double, maxScore: Double,
                                   instructionSet: QuantizedInstructionSet = .current)
        -> (total: Double, buckets: [UInt8], mass: [Double]) {
        var buckets = [UInt8](repeating: 0, count: scores.count)
        var mass = [Double](repeating: 0, count: 64)
        let total = scores.withUnsafeBufferPointer { scores in
            buckets.withUnsafeMutableBufferPointer { buckets in
                mass.withUnsafeMutableBufferPointer { mass in
                    softmaxNumeratorSums(scores: scores, inverseTemperature: inverseTemperature, maxScore: maxScore,
                                         buckets: buckets, mass: mass, instructionSet: instructionSet)
                }
            }
        }
        return (total, buckets, mass)
    }

    /// The sampler's former loop.
    private static func scalarPass(_ scores: [Float], inverseTemperature: Double,
                                   maxScore: Double) -> (total: Double, buckets: [UInt8], mass: [Double]) {
        var total = 0.0, mass = [Double](repeating: 0, count: 64), buckets: [UInt8] = []
        for score in scores {
            let p = Foundation.exp(Double(score) * inverseTemperature - maxScore)
            let octaves = (maxScore - Double(score) * inverseTemperature) * 1.4426950408889634
            let bucket = octaves < 63 ? Int(octaves) : 63
            total += p
            mass[bucket] += p
            buckets.append(UInt8(bucket))
        }
        return (total, buckets, mass)
    }
}
