import Tensor
import XCTest

/// Elementwise product written the way op authors write ops (outside the module).
private func product(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = Tensor(zeros: a.shape)
    let aValues = a.scalars, bValues = b.scalars
    out.withUnsafeMutableBufferPointer { o in for i in 0..<o.count { o[i] = aValues[i] * bValues[i] } }
    return Tensor.record(out, inputs: [a, b]) { outGrad in
        let g = outGrad.scalars
        a.withGradient { da in for i in 0..<da.count { da[i] += g[i] * bValues[i] } }
        b.withGradient { db in for i in 0..<db.count { db[i] += g[i] * aValues[i] } }
    }
}

/// Sum of all elements to a scalar.
private func total(_ x: Tensor) -> Tensor {
    let out = Tensor(scalar: x.scalars.reduce(0, +))
    return Tensor.record(out, inputs: [x]) { outGrad in
        let g = outGrad.scalar
        x.withGradient { dx in for i in 0..<dx.count { dx[i] += g } }
    }
}

final class AutogradTapeTests: XCTestCase {
    func testBackwardThroughSharedInput() {
        // loss = sum(x * x * y): dx = 2xy, dy = x².
        let x = Tensor(shape: [3], scalars: [1, 2, 3]); x.requiresGrad = true
        let y = Tensor(shape: [3], scalars: [4, 5, 6]); y.requiresGrad = true
        let loss = total(product(product(x, x), y))
        XCTAssertEqual(loss.scalar, 4 + 20 + 54)
        loss.backward()
        XCTAssertEqual(x.grad?.scalars, [8, 20, 36])
        XCTAssertEqual(y.grad?.scalars, [1, 4, 9])
    }

    func testGradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        let x = Tensor(shape: [2], scalars: [1, 2]); x.requiresGrad = true
        total(product(x, x)).backward()
        total(product(x, x)).backward()
        XCTAssertEqual(x.grad?.scalars, [4, 8])
        x.zeroGradient()
        XCTAssertNil(x.grad)
    }

    func testNoGradScopeRecordsNothing() {
        let x = Tensor(shape: [2], scalars: [1, 2]); x.requiresGrad = true
        let out = Autograd.noGrad { product(x, x) }
        XCTAssertFalse(out.requiresGrad)
        XCTAssertTrue(out.isLeaf)
        XCTAssertTrue(Autograd.isEnabled)
    }

    func testDetachCutsTheGraphButSharesStorage() {
        let x = Tensor(shape: [2], scalars: [1, 2]); x.requiresGrad = true
        let squared = product(x, x)
        let detached = squared.detach()
        XCTAssertFalse(detached.requiresGrad)
        XCTAssertTrue(detached.storage === squared.storage)
        XCTAssertFalse(Tensor.isRecording([detached]))
    }

    func testGraphIsFreedUnlessRetained() {
        let x = Tensor(shape: [2], scalars: [1, 2]); x.requiresGrad = true
        let squared = product(x, x)
        let loss = total(squared)
        loss.backward(retainGraph: true)
        XCTAssertFalse(squared.isLeaf)
        XCTAssertNil(squared.grad, "intermediate gradients are freed unless retainsGrad")
        loss.backward()
        XCTAssertEqual(x.grad?.scalars, [4, 8])
        XCTAssertTrue(squared.isLeaf)
    }

    func testBackwardVisitsOnlyThePathToTheTarget() {
        let x = Tensor(shape: [2], scalars: [1, 2]); x.requiresGrad = true
        let unrelated = Tensor(shape: [2], scalars: [3, 4]); unrelated.requiresGrad = true
        _ = product(unrelated, unrelated)
        total(x).backward()
        XCTAssertNil(unrelated.grad)
        XCTAssertEqual(x.grad?.scalars, [1, 1])
    }

    func testRetainsGradKeepsIntermediateGradient() {
        let x = Tensor(shape: [2], scalars: [1, 2]); x.requiresGrad = true
        let squared = product(x, x)
        squared.retainsGrad = true
        total(squared).backward()
        XCTAssertEqual(squared.grad?.scalars, [1, 1])
    }

    func testDeepChainDoesNotOverflowTheStack() {
        let x = Tensor(shape: [1], scalars: [1]); x.requiresGrad = true
        let one = Tensor(shape: [1], scalars: [1])
        var y = x
        for _ in 0..<20_000 { y = product(y, one) }
        total(y).backward()
        XCTAssertEqual(x.grad?.scalars, [1])
    }
}
