import Tensor
import XCTest

final class OpsLowRankUpdateTests: XCTestCase {
    private let rows = 6, inFeatures = 5, outFeatures = 7, rank = 3, scale: Float = 0.75

    private func tensors(seed: UInt64) -> (x: Tensor, w: Tensor, a: Tensor, b: Tensor) {
        (OpsGradientCheck.randomTensor([rows, inFeatures], seed: seed),
         OpsGradientCheck.randomTensor([outFeatures, inFeatures], seed: seed + 1),
         OpsGradientCheck.randomTensor([rank, inFeatures], seed: seed + 2),
         OpsGradientCheck.randomTensor([outFeatures, rank], seed: seed + 3))
    }

    func testForwardEqualsTheProductPlusTheUnfusedUpdate() {
        let (x, w, a, b) = tensors(seed: 10)
        let expected = (linear(x, weight: w) + linear(linear(x, weight: a) * scale, weight: b)).scalars
        let fused = addingLowRankUpdate(into: linear(x, weight: w), input: x, a: a, b: b, scale: scale)
        XCTAssertEqual(fused.shape, [rows, outFeatures])
        XCTAssertLessThan(OpsGradientCheck.maxDifference(fused.scalars, expected), 1e-5)
    }

    func testFewAndManyRowsEqualTheUnfusedUpdate() {
        // Up to `lowRankDirectRowLimit` rows the update is computed with dot products, above it
        // with sgemm; both against the unfused graph, with LoRA-like sizes.
        for (index, count) in [1, 4, lowRankDirectRowLimit, lowRankDirectRowLimit + 1, 40].enumerated() {
            let seed = 60 + UInt64(index) * 4
            let x = OpsGradientCheck.randomTensor([count, 96], seed: seed)
            let w = OpsGradientCheck.randomTensor([70, 96], seed: seed + 1)
            let a = OpsGradientCheck.randomTensor([16, 96], seed: seed + 2)
            let b = OpsGradientCheck.randomTensor([70, 16], seed: seed + 3)
            let expected = (linear(x, weight: w) + linear(linear(x, weight: a) * scale, weight: b)).scalars
            let fused = addingLowRankUpdate(into: linear(x, weight: w), input: x, a: a, b: b, scale: scale)
            XCTAssertLessThan(OpsGradientCheck.maxDifference(fused.scalars, expected), 1e-4, "\(count) rows")
        }
    }

    func testAFewRowsGiveEachRowTheSameResultAsAlone() {
        let x = OpsGradientCheck.randomTensor([lowRankDirectRowLimit, 96], seed: 90)
        let a = OpsGradientCheck.randomTensor([16, 96], seed: 91), b = OpsGradientCheck.randomTensor([70, 16], seed: 92)
        let together = addingLowRankUpdate(into: Tensor(zeros: [lowRankDirectRowLimit, 70]), input: x, a: a, b: b, scale: scale)
        for row in 0..<lowRankDirectRowLimit {
            let alone = addingLowRankUpdate(into: Tensor(zeros: [1, 70]), input: x.rows(row..<(row + 1)), a: a, b: b, scale: scale)
            XCTAssertEqual(alone.scalars, Array(together.scalars[(row * 70)..<((row + 1) * 70)]))
        }
    }

    func testTheResultReusesTheProductsStorage() {
        let (x, w, a, b) = tensors(seed: 20)
        let product = linear(x, weight: w)
        let fused = addingLowRankUpdate(into: product, input: x, a: a, b: b, scale: scale)
        XCTAssertTrue(fused.storage === product.storage)
    }

    func testGradientsOfInputWeightAndBothFactors() {
        let (x, w, a, b) = tensors(seed: 30)
        OpsGradientCheck.check([x, w, a, b]) {
            addingLowRankUpdate(into: linear(x, weight: w), input: x, a: a, b: b, scale: scale)
        }
    }

    func testGradientsEqualTheUnfusedGraphs() {
        let (x, w, a, b) = tensors(seed: 40)
        for tensor in [x, a, b] { tensor.requiresGrad = true }
        let upstream = OpsGradientCheck.randomTensor([rows, outFeatures], seed: 44)
        (linear(x, weight: w) + linear(linear(x, weight: a) * scale, weight: b)).backward(upstream)
        let expected = [x, a, b].map { $0.grad!.scalars }
        for tensor in [x, a, b] { tensor.zeroGradient() }
        addingLowRankUpdate(into: linear(x, weight: w), input: x, a: a, b: b, scale: scale).backward(upstream)
        for (tensor, reference) in zip([x, a, b], expected) {
            XCTAssertLessThan(OpsGradientCheck.maxDifference(tensor.grad!.scalars, reference), 1e-5)
        }
        XCTAssertNil(w.grad)
    }

    func testOnlyTheFactorsGetGradientsWhenTheInputIsConstant() {
        let (x, w, a, b) = tensors(seed: 50)
        a.requiresGrad = true
        b.requiresGrad = true
        addingLowRankUpdate(into: linear(x, weight: w), input: x, a: a, b: b, scale: scale)
            .backward(Tensor(shape: [rows, outFeatures], repeating: 1))
        XCTAssertNotNil(a.grad)
        XCTAssertNotNil(b.grad)
        XCTAssertNil(x.grad)
    }
}

final class OpsResidualTests: XCTestCase {
    func testSumAndGradients() {
        let x = OpsGradientCheck.randomTensor([4, 6], seed: 60), w = OpsGradientCheck.randomTensor([6, 6], seed: 61)
        let expected = (x + linear(x, weight: w)).scalars
        XCTAssertEqual(addingResidual(x, into: linear(x, weight: w)).scalars, expected)
        OpsGradientCheck.check([x, w]) { addingResidual(x, into: linear(x, weight: w)) }
    }
}
