import Tensor
import XCTest

final class CoreOpsGradientTests: XCTestCase {
    private func random(_ shape: [Int], _ seed: UInt64, in range: ClosedRange<Float> = -1...1) -> Tensor {
        GradientCheck.random(shape, seed: seed, in: range)
    }

    func testBroadcastArithmeticGradients() {
        GradientCheck.check([random([3, 4], 1), random([4], 2)]) { $0[0] + $0[1] }
        GradientCheck.check([random([4], 3), random([2, 3, 4], 4)]) { $0[0] - $0[1] }
        GradientCheck.check([random([2, 3, 4], 5), random([3, 4], 6)]) { $0[0] * $0[1] }
        GradientCheck.check([random([3, 4], 7), random([4], 8, in: 1...2)]) { $0[0] / $0[1] }
        GradientCheck.check([random([3, 4], 9), random([1], 10, in: 1...2)]) { $0[0] * $0[1] }
    }

    func testSameTensorOnBothSides() {
        GradientCheck.check([random([5], 11)]) { $0[0] * $0[0] }
    }

    func testScalarArithmeticGradients() {
        GradientCheck.check([random([6], 12)]) { (($0[0] * 3 + 1) - 2) / 4 }
        GradientCheck.check([random([6], 13, in: 1...2)]) { 2 / $0[0] + (1 - $0[0]) + -$0[0] }
    }

    func testUnaryGradients() {
        GradientCheck.check([random([7], 14)]) { $0[0].exponential() }
        GradientCheck.check([random([7], 15, in: 0.5...2)]) { $0[0].logarithm() }
        GradientCheck.check([random([7], 16, in: 0.5...2)]) { $0[0].squareRoot() }
        GradientCheck.check([random([7], 17)]) { $0[0].squared() }
        GradientCheck.check([random([7], 18, in: 0.5...2)]) { $0[0].reciprocal() }
        GradientCheck.check([random([7], 19, in: 0.5...2)]) { $0[0].raised(toPower: 1.5) }
        GradientCheck.check([Tensor(shape: [4], scalars: [-1.5, -0.5, 0.5, 1.5])]) { $0[0].magnitude() }
        GradientCheck.check([Tensor(shape: [4], scalars: [-1.5, -0.5, 0.5, 1.5])]) { $0[0].clamped(to: -1...1) }
    }

    func testReductionGradients() {
        let x = random([2, 3, 4], 20)
        for axis in [0, 1, 2, -1] {
            GradientCheck.check([x]) { $0[0].sum(alongAxis: axis) }
            GradientCheck.check([x]) { $0[0].mean(alongAxis: axis, keepingDimension: true) }
            GradientCheck.check([x]) { $0[0].maximum(alongAxis: axis) }
            GradientCheck.check([x]) { $0[0].logSumExponential(alongAxis: axis) }
        }
        GradientCheck.check([x]) { $0[0].sum() }
        GradientCheck.check([x]) { $0[0].mean() }
    }

    func testReductionValues() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(x.sum(alongAxis: 0).scalars, [5, 7, 9])
        XCTAssertEqual(x.sum(alongAxis: 1, keepingDimension: true).shape, [2, 1])
        XCTAssertEqual(x.mean(alongAxis: 1).scalars, [2, 5])
        XCTAssertEqual(x.maximum(alongAxis: 0).scalars, [4, 5, 6])
        let lse = x.logSumExponential(alongAxis: 1).scalars
        XCTAssertEqual(lse[0], Float(log(exp(1.0) + exp(2.0) + exp(3.0))), accuracy: 1e-5)
        XCTAssertEqual(Tensor(shape: [2], scalars: [1000, 1000]).logSumExponential(alongAxis: 0).scalar,
                       1000 + Float(log(2.0)), accuracy: 1e-3)
        XCTAssertEqual(x.sum().shape, [])
        XCTAssertEqual(x.sum().scalar, 21)
    }

    func testShapingValuesAndGradients() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(x.transposed().scalars, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(x.reshaped([3, -1]).shape, [3, 2])
        XCTAssertEqual(x.rows(1..<2).scalars, [4, 5, 6])
        XCTAssertEqual(x.gatherRows([1, 0, 1]).scalars, [4, 5, 6, 1, 2, 3, 4, 5, 6])
        let joined = Tensor.concatenate([x, Tensor(shape: [2, 1], scalars: [7, 8])], alongAxis: 1)
        XCTAssertEqual(joined.scalars, [1, 2, 3, 7, 4, 5, 6, 8])
        let pieces = joined.split(sizes: [1, 3], alongAxis: -1)
        XCTAssertEqual(pieces[0].scalars, [1, 4])
        XCTAssertEqual(pieces[1].scalars, [2, 3, 7, 5, 6, 8])

        let y = random([2, 3, 4], 21)
        GradientCheck.check([y]) { $0[0].transposed() }
        GradientCheck.check([y]) { $0[0].reshaped([6, 4]) }
        GradientCheck.check([y]) { $0[0].rows(1..<2) }
        GradientCheck.check([y]) { $0[0].gatherRows([1, 1, 0]) }
        GradientCheck.check([y, random([2, 1, 4], 22)]) { Tensor.concatenate([$0[0], $0[1]], alongAxis: 1) }
        GradientCheck.check([y]) {
            let pieces = $0[0].split(sizes: [1, 3], alongAxis: 2)
            return Tensor.concatenate([pieces[1] * 2, pieces[0]], alongAxis: 2)
        }
    }

    func testSameTensorTwiceInOneOp() {
        GradientCheck.check([random([2, 3], 23)]) { Tensor.concatenate([$0[0], $0[0]], alongAxis: 0) }
        GradientCheck.check([random([3, 3], 24)]) { Tensor.matmul($0[0], $0[0], transposeB: true) }
    }

    func testMatmulMatchesHandProduct() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(Tensor.matmul(a, b).scalars, [58, 64, 139, 154])
        XCTAssertEqual(Tensor.matmul(a.transposed(), b.transposed(), transposeA: true, transposeB: true).scalars,
                       [58, 64, 139, 154])
    }

    func testMatmulGradientsForEveryLayout() {
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a2 = random(transposeA ? [4, 3] : [3, 4], 30)
                let b2 = random(transposeB ? [5, 4] : [4, 5], 31)
                GradientCheck.check([a2, b2]) { Tensor.matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB) }
                let a3 = random(transposeA ? [2, 4, 3] : [2, 3, 4], 32)
                let b3 = random(transposeB ? [2, 5, 4] : [2, 4, 5], 33)
                GradientCheck.check([a3, b3]) { Tensor.matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB) }
                GradientCheck.check([a3, b2]) { Tensor.matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB) }
            }
        }
    }

    func testCreationHelpers() {
        XCTAssertEqual(Tensor.arange(to: 4).scalars, [0, 1, 2, 3])
        XCTAssertEqual(Tensor.arange(from: 1, to: 0, step: -0.25).scalars, [1, 0.75, 0.5, 0.25])
        XCTAssertEqual(Tensor.ones([2]).scalars, [1, 1])
        XCTAssertEqual(Tensor.full([2], value: 3).scalars, [3, 3])
        var stream = RandomStream(seed: 5)
        let normal = Tensor.normal([20_000], mean: 1, standardDeviation: 2, using: &stream).scalars
        let mean = normal.reduce(0, +) / Float(normal.count)
        let variance = normal.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(normal.count)
        XCTAssertEqual(mean, 1, accuracy: 0.05)
        XCTAssertEqual(variance.squareRoot(), 2, accuracy: 0.05)
        let uniform = Tensor.uniform([1000], in: 2...3, using: &stream).scalars
        XCTAssertTrue(uniform.allSatisfy { $0 >= 2 && $0 < 3 })
    }
}
