import Tensor
import XCTest

final class OpsNormTests: XCTestCase {
    func testRMSNormMatchesDefinition() {
        let x = Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])
        let w = Tensor(shape: [4], scalars: [1, 1, 2, 0.5])
        let rms = ((1 + 4 + 9 + 16) / 4 + 1e-5 as Float).squareRoot()
        let expected: [Float] = [1 / rms, 2 / rms, 6 / rms, 2 / rms]
        XCTAssertLessThan(OpsGradientCheck.maxDifference(rmsNorm(x, weight: w, eps: 1e-5).scalars, expected), 1e-6)
        let gemma = rmsNorm(x, weight: w, eps: 1e-5, weighting: .onePlus).scalars
        XCTAssertLessThan(OpsGradientCheck.maxDifference(gemma, [2 / rms, 4 / rms, 9 / rms, 6 / rms]), 1e-6)
    }

    func testRMSNormGradients() {
        let x = OpsGradientCheck.randomTensor([3, 40], seed: 5)
        let w = OpsGradientCheck.randomTensor([40], seed: 6)
        OpsGradientCheck.check([x, w]) { rmsNorm(x, weight: w, eps: 1e-5) }
        OpsGradientCheck.check([x, w]) { rmsNorm(x, weight: w, eps: 1e-5, weighting: .onePlus) }
    }

    func testLayerNormMatchesDefinitionAndGradients() {
        let x = Tensor(shape: [1, 4], scalars: [1, 2, 3, 6])
        let w = Tensor(shape: [4], repeating: 2), b = Tensor(shape: [4], repeating: 1)
        let std = ((4 + 1 + 0 + 9) / 4 + 1e-5 as Float).squareRoot()
        let expected = [-2, -1, 0, 3].map { 2 * Float($0) / std + 1 }
        XCTAssertLessThan(OpsGradientCheck.maxDifference(layerNorm(x, weight: w, bias: b, eps: 1e-5).scalars, expected), 1e-5)

        let xs = OpsGradientCheck.randomTensor([3, 24], seed: 7)
        let ws = OpsGradientCheck.randomTensor([24], seed: 8), bs = OpsGradientCheck.randomTensor([24], seed: 9)
        OpsGradientCheck.check([xs, ws, bs]) { layerNorm(xs, weight: ws, bias: bs, eps: 1e-5) }
    }
}
