import Tensor
import XCTest

/// `addingLowRankUpdates` (several projections reading one input, as q/k/v and gate/up do)
/// against one `addingLowRankUpdate` per projection.
final class OpsLowRankUpdateGroupTests: XCTestCase {
    private let scale: Float = 0.5

    /// Three projections of different widths over an input whose width is not a multiple of 16.
    private func group(rank: Int, seed: UInt64) -> (products: [[Int]], factors: [LowRankFactors]) {
        let widths = [70, 23, 150]
        let factors = widths.enumerated().map { index, out in
            LowRankFactors(a: OpsGradientCheck.randomTensor([rank, 100], seed: seed + UInt64(2 * index)),
                           b: OpsGradientCheck.randomTensor([out, rank], seed: seed + UInt64(2 * index + 1)),
                           scale: scale * Float(index + 1))
        }
        return (widths.map { [$0] }, factors)
    }

    private func base(rows: Int, out: Int, seed: UInt64) -> Tensor { OpsGradientCheck.randomTensor([rows, out], seed: seed) }

    func testAFewRowsWithoutGradientsEqualOneUpdatePerProjectionExactly() {
        for rank in [3, 16, 21] {
            for rows in 1...lowRankDirectRowLimit {
                let (widths, factors) = group(rank: rank, seed: UInt64(100 * rank + rows))
                let x = OpsGradientCheck.randomTensor([rows, 100], seed: 7 + UInt64(rows))
                let (expected, actual) = Autograd.noGrad { () -> ([[Float]], [Tensor]) in
                    let expected = zip(widths, factors).enumerated().map { index, entry in
                        addingLowRankUpdate(into: base(rows: rows, out: entry.0[0], seed: UInt64(index)), input: x,
                                            a: entry.1.a, b: entry.1.b, scale: entry.1.scale).scalars
                    }
                    let products = widths.enumerated().map { base(rows: rows, out: $1[0], seed: UInt64($0)) }
                    return (expected, addingLowRankUpdates(into: products, input: x, factors: factors))
                }
                XCTAssertEqual(actual.map(\.scalars), expected, "rank \(rank), \(rows) rows")
            }
        }
    }

    func testTheProductsAreUpdatedInPlace() {
        let (widths, factors) = group(rank: 4, seed: 1)
        let x = OpsGradientCheck.randomTensor([2, 100], seed: 2)
        let products = widths.enumerated().map { base(rows: 2, out: $1[0], seed: UInt64($0)) }
        let results = Autograd.noGrad { addingLowRankUpdates(into: products, input: x, factors: factors) }
        for (product, result) in zip(products, results) { XCTAssertTrue(product === result) }
    }

    func testManyRowsAndRecordedGraphsGoThroughTheSingleOp() {
        let (widths, factors) = group(rank: 5, seed: 30)
        for rows in [3, lowRankDirectRowLimit + 5] {
            let x = OpsGradientCheck.randomTensor([rows, 100], seed: 40 + UInt64(rows))
            x.requiresGrad = true
            let upstream = widths.enumerated().map { OpsGradientCheck.randomTensor([rows, $1[0]], seed: 50 + UInt64($0)) }
            func run(_ body: ([Tensor]) -> [Tensor]) -> (values: [[Float]], dX: [Float]) {
                x.zeroGradient()
                let outputs = body(widths.enumerated().map { base(rows: rows, out: $1[0], seed: UInt64($0)) })
                zip(outputs, upstream).map { ($0 * $1).sum() }.reduce(Tensor(shape: [], repeating: 0), +).backward()
                return (outputs.map(\.scalars), x.grad?.scalars ?? [])
            }
            let expected = run { products in
                zip(products, factors).map { addingLowRankUpdate(into: $0, input: x, a: $1.a, b: $1.b, scale: $1.scale) }
            }
            let actual = run { addingLowRankUpdates(into: $0, input: x, factors: factors) }
            XCTAssertEqual(actual.values, expected.values, "\(rows) rows")
            XCTAssertEqual(actual.dX, expected.dX, "\(rows) rows")
        }
    }
}
