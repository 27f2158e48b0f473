import Foundation
import Tensor
import XCTest

/// `frozenHeadTokenLogProbs` (the forward also accumulates each row's expected head row, the
/// backward needs no product) against the plain `tokenLogProbs` and finite differences.
final class OpsFrozenHeadTokenLogProbTests: XCTestCase {
    private let hidden = OpsGradientCheck.randomTensor([7, 6], seed: 180)
    private let weight = OpsGradientCheck.randomTensor([37, 6], seed: 181, scale: 0.9)
    private let targets = [3, 36, 0, -1, 17, 36, 5]

    private let variants = [
        TokenLogProbOptions(),
        TokenLogProbOptions(chunkRows: 2, chunkColumns: 10),
        TokenLogProbOptions(chunkRows: 3, chunkColumns: 1),
        TokenLogProbOptions(logitScale: 1.5, softCap: 3, temperature: 0.7, chunkRows: 3, chunkColumns: 16),
        TokenLogProbOptions(softCap: 2, chunkRows: 4, chunkColumns: 7),
        TokenLogProbOptions(temperature: 1.3, chunkColumns: 9),
    ]

    func testValuesAndHiddenGradientEqualThePlainOp() {
        let upstream = OpsGradientCheck.randomTensor([7], seed: 182)
        for options in variants {
            hidden.requiresGrad = true
            hidden.zeroGradient()
            let plain = tokenLogProbs(hidden: hidden, weight: weight, targets: targets, options: options, computeEntropy: true)
            plain.logProbs.backward(upstream)
            let plainGradient = hidden.grad!.scalars
            hidden.zeroGradient()
            let fused = frozenHeadTokenLogProbs(hidden: hidden, weight: weight, targets: targets, options: options,
                                                computeEntropy: true)
            fused.logProbs.backward(upstream)
            let fusedGradient = hidden.grad!.scalars
            XCTAssertEqual(fused.logProbs.scalars, plain.logProbs.scalars, "\(options)")
            XCTAssertEqual(fused.logSumExp.scalars, plain.logSumExp.scalars)
            XCTAssertEqual(fused.entropy!.scalars, plain.entropy!.scalars)
            XCTAssertLessThan(OpsGradientCheck.maxDifference(fusedGradient, plainGradient), 1e-5, "\(options)")
            XCTAssertGreaterThan(fusedGradient.map(abs).max() ?? 0, 1e-2)
            // The skipped row (target −1) gives its hidden state no gradient.
            XCTAssertEqual(Array(fusedGradient[18..<24]), [Float](repeating: 0, count: 6))
            XCTAssertNil(weight.grad)
        }
        hidden.requiresGrad = false
    }

    func testHiddenGradientMatchesFiniteDifferences() {
        for options in variants {
            OpsGradientCheck.check([hidden], samplesPerInput: 42) {
                frozenHeadTokenLogProbs(hidden: hidden, weight: weight, targets: targets, options: options).logProbs
            }
        }
        hidden.requiresGrad = false
    }

    func testWithoutRecordingItIsThePlainForward() {
        let frozen = Autograd.noGrad { frozenHeadTokenLogProbs(hidden: hidden, weight: weight, targets: targets) }
        XCTAssertFalse(frozen.logProbs.requiresGrad)
        XCTAssertEqual(frozen.logProbs.scalars, tokenLogProbs(hidden: hidden, weight: weight, targets: targets).logProbs.scalars)
    }

    /// Large logits (several tiles whose maximum rises row by row) stay exact against the plain op.
    func testRescalingAcrossTilesWithLargeLogits() {
        let h = OpsGradientCheck.randomTensor([5, 16], seed: 183, scale: 3)
        let w = OpsGradientCheck.randomTensor([300, 16], seed: 184, scale: 2)
        let ids = [299, 0, 150, 42, 7]
        let options = TokenLogProbOptions(chunkRows: 2, chunkColumns: 32)
        h.requiresGrad = true
        tokenLogProbs(hidden: h, weight: w, targets: ids, options: options).logProbs.backward(Tensor(shape: [5], repeating: 1))
        let plain = h.grad!.scalars
        h.zeroGradient()
        frozenHeadTokenLogProbs(hidden: h, weight: w, targets: ids, options: options).logProbs
            .backward(Tensor(shape: [5], repeating: 1))
        XCTAssertLessThan(OpsGradientCheck.maxDifference(h.grad!.scalars, plain), 1e-4)
        let scale = plain.map(abs).max() ?? 0
        XCTAssertGreaterThan(scale, 1)
        XCTAssertLessThan(OpsGradientCheck.maxDifference(h.grad!.scalars, plain) / scale, 1e-5)
    }
}
