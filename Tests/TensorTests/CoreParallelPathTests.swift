import Tensor
import XCTest

/// Tensors large enough that elementwise work is split across cores; results must equal plain loops.
final class CoreParallelPathTests: XCTestCase {
    private let rows = 300, columns = 300

    func testLargeBroadcastProductAndGradientsMatchLoops() {
        let a = GradientCheck.random([rows, columns], seed: 1)
        let b = GradientCheck.random([columns], seed: 2)
        a.requiresGrad = true
        b.requiresGrad = true
        let product = a * b
        let av = a.scalars, bv = b.scalars, pv = product.scalars
        for index in stride(from: 0, to: rows * columns, by: 997) {
            XCTAssertEqual(pv[index], av[index] * bv[index % columns])
        }
        let upstream = GradientCheck.random([rows, columns], seed: 3)
        product.backward(upstream)
        let g = upstream.scalars, da = a.grad!.scalars, db = b.grad!.scalars
        for index in stride(from: 0, to: rows * columns, by: 991) {
            XCTAssertEqual(da[index], g[index] * bv[index % columns])
        }
        for column in [0, 17, columns - 1] {
            var expected: Double = 0
            for row in 0..<rows { expected += Double(g[row * columns + column]) * Double(av[row * columns + column]) }
            XCTAssertEqual(Double(db[column]), expected, accuracy: 1e-3)
        }
    }

    func testLargeUnaryAndSameShapeOpsUseEveryElement() {
        let x = GradientCheck.random([rows, columns], seed: 4)
        x.requiresGrad = true
        let y = (x * x + x.exponential()).sum()
        y.backward()
        let xv = x.scalars, gradient = x.grad!.scalars
        for index in [0, 1, rows * columns / 2, rows * columns - 1] {
            XCTAssertEqual(gradient[index], 2 * xv[index] + Float(exp(Double(xv[index]))), accuracy: 1e-5)
        }
    }

    func testResultsDoNotDependOnChunking() {
        let x = GradientCheck.random([rows, columns], seed: 5)
        func compute() -> [[Float]] {
            [(x.exponential() * 2 - x).scalars, x.sum(alongAxis: 1).scalars,
             x.logSumExponential(alongAxis: -1).scalars, x.maximum(alongAxis: 1).scalars]
        }
        let parallel = compute()
        let saved = Parallel.threadCount
        Parallel.setThreadCount(1)
        let serial = compute()
        Parallel.setThreadCount(saved)
        XCTAssertEqual(parallel, serial)
        XCTAssertEqual(Double(parallel[1][7]), x.scalars[(7 * columns)..<(8 * columns)].reduce(0.0) { $0 + Double($1) },
                       accuracy: 1e-4)
    }
}
