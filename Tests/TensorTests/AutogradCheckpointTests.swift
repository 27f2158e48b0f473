import Tensor
import XCTest

/// A small residual block, nonlinear through the product h·h.
private func block(_ x: Tensor, _ w1: Tensor, _ w2: Tensor) -> Tensor {
    let h = Tensor.matmul(x, w1)
    return Tensor.matmul(h * h, w2) + x
}

final class AutogradCheckpointTests: XCTestCase {
    private func parameters() -> (Tensor, Tensor, Tensor) {
        let x = GradientCheck.random([4, 3], seed: 1)
        let w1 = GradientCheck.random([3, 3], seed: 2)
        let w2 = GradientCheck.random([3, 3], seed: 3)
        return (x, w1, w2)
    }

    func testCheckpointedGradientsEqualPlainGradients() {
        let (x, w1, w2) = parameters()
        for tensor in [x, w1, w2] { tensor.requiresGrad = true }
        block(block(x, w1, w2), w1, w2).sum().backward()
        let plain = [x, w1, w2].map { $0.grad!.scalars }
        for tensor in [x, w1, w2] { tensor.zeroGradient() }

        let first = Autograd.checkpoint([x]) { block($0[0], w1, w2) }
        XCTAssertTrue(first.isLeaf == false && first.requiresGrad)
        let second = Autograd.checkpoint([first]) { block($0[0], w1, w2) }
        second.sum().backward()
        let checkpointed = [x, w1, w2].map { $0.grad!.scalars }
        for (a, b) in zip(plain, checkpointed) {
            for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-5) }
        }
    }

    func testFrozenInputStillGivesWeightGradients() {
        // LoRA-like: the hidden state entering the block does not require grad, the weights do.
        let (x, w1, w2) = parameters()
        w1.requiresGrad = true
        let out = Autograd.checkpoint([x]) { block($0[0], w1, w2) }
        XCTAssertTrue(out.requiresGrad)
        out.sum().backward()
        XCTAssertNotNil(w1.grad)
        XCTAssertNil(x.grad)
        GradientCheck.check([w1]) { inputs in Autograd.checkpoint([x]) { block($0[0], inputs[0], w2) } }
    }

    func testNothingToDifferentiateReturnsPlainOutput() {
        let (x, w1, w2) = parameters()
        let out = Autograd.checkpoint([x]) { block($0[0], w1, w2) }
        XCTAssertFalse(out.requiresGrad)
        XCTAssertEqual(out.scalars, block(x, w1, w2).scalars)
    }
}
