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

    private static func vectorPass(_ scores: [Float], inverseTemperature: Double,
                                   maxScore: Double) -> (total: Double, buckets: [UInt8], mass: [Double]) {
        var buckets = [UInt8](repeating: 0, count: scores.count)
        var mass = [Double](repeating: 0, count: 64)
        let total = scores.withUnsafeBufferPointer { scores in
            buckets.withUnsafeMutableBufferPointer { buckets in
                mass.withUnsafeMutableBufferPointer { mass in
                    softmaxNumeratorSums(scores: scores, inverseTemperature: inverseTemperature, maxScore: maxScore,
                                         buckets: buckets, mass: mass)
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
