import Tensor
import XCTest

final class OpsLinearTests: XCTestCase {
    func testLinearMatchesDefinition() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let w = Tensor(shape: [2, 3], scalars: [1, 0, -1, 0.5, 0.5, 0.5])
        let b = Tensor(shape: [2], scalars: [10, 20])
        let y = linear(x, weight: w, bias: b)
        XCTAssertEqual(y.shape, [2, 2])
        XCTAssertEqual(y.scalars, [8, 23, 8, 27.5] as [Float])
    }

    func testLinearGradients() {
        let x = OpsGradientCheck.randomTensor([2, 3, 5], seed: 1)
        let w = OpsGradientCheck.randomTensor([4, 5], seed: 2, scale: 0.5)
        let b = OpsGradientCheck.randomTensor([4], seed: 3)
        OpsGradientCheck.check([x, w, b]) { linear(x, weight: w, bias: b) }
        OpsGradientCheck.check([x, w]) { linear(x, weight: w) }
    }

    func testEmbeddingGathersRowsAndScatterAddsGradients() {
        let table = OpsGradientCheck.randomTensor([6, 4], seed: 4)
        let ids = [3, 0, 3, 5]
        let y = embedding(ids, table: table)
        XCTAssertEqual(Array(y.scalars[0..<4]), Array(table.scalars[12..<16]))
        OpsGradientCheck.check([table]) { embedding(ids, table: table) }
        // Row 3 appears twice, so its gradient is the sum of two upstream rows.
        table.zeroGradient()
        embedding(ids, table: table).backward(Tensor(shape: [4, 4], repeating: 1))
        XCTAssertEqual(Array(table.grad!.scalars[12..<16]), [2, 2, 2, 2])
        XCTAssertEqual(Array(table.grad!.scalars[4..<8]), [0, 0, 0, 0])
    }
}
