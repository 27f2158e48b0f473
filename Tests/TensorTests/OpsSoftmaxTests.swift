import Foundation
import Tensor
import XCTest

final class OpsSoftmaxTests: XCTestCase {
    func testSoftmaxAndLogSoftmaxValues() {
        let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 1000, 1000])
        let total = exp(1) + exp(2) + exp(3) as Float
        let expected = [exp(1) / total, exp(2) / total, exp(3) / total, 1 / 3, 1 / 3, 1 / 3] as [Float]
        XCTAssertLessThan(OpsGradientCheck.maxDifference(softmax(x).scalars, expected), 1e-6)
        XCTAssertLessThan(OpsGradientCheck.maxDifference(logSoftmax(x).scalars, expected.map { log($0) }), 2e-6)
    }

    func testSoftmaxGradients() {
        let x = OpsGradientCheck.randomTensor([3, 21], seed: 13, scale: 2)
        OpsGradientCheck.check([x]) { softmax(x) }
        OpsGradientCheck.check([x]) { logSoftmax(x) }
    }

    func testCrossEntropyMatchesLogSoftmaxAndIgnoresRows() {
        let logits = OpsGradientCheck.randomTensor([4, 7], seed: 14, scale: 2)
        let targets = [2, -100, 6, 0]
        let logp = logSoftmax(logits).scalars
        let expected = -(logp[2] + logp[14 + 6] + logp[21 + 0]) / 3
        XCTAssertEqual(crossEntropy(logits: logits, targets: targets).scalar, expected, accuracy: 1e-5)
        OpsGradientCheck.check([logits]) { crossEntropy(logits: logits, targets: targets) }
        // The ignored row gets no gradient.
        XCTAssertEqual(Array(logits.grad!.scalars[7..<14]), [Float](repeating: 0, count: 7))
    }

    func testCrossEntropyWithEveryRowIgnoredIsZero() {
        let logits = OpsGradientCheck.randomTensor([2, 3], seed: 15)
        XCTAssertEqual(crossEntropy(logits: logits, targets: [-100, -100]).scalar, 0)
    }
}
