import Foundation
import Tensor
import XCTest

final class OptimSGDAndScheduleTests: XCTestCase {
    func testPlainSGDStep() {
        let p = Tensor(shape: [2], scalars: [1, 2]); p.requiresGrad = true
        let optimizer = SGD(parameters: [p], learningRate: 0.1)
        (p * p).sum().backward()  // grad = 2p
        optimizer.step()
        XCTAssertEqual(p.scalars[0], 0.8, accuracy: 1e-6)
        XCTAssertEqual(p.scalars[1], 1.6, accuracy: 1e-6)
    }

    func testMomentumAndWeightDecayFollowTorch() {
        // Hand-run torch.optim.SGD(lr=0.1, momentum=0.9, weight_decay=0.5) on f(p) = p (grad 1), p0 = 2:
        // step 1: d = 1 + 0.5·2 = 2, b = 2, p = 2 − 0.2 = 1.8
        // step 2: d = 1 + 0.9 = 1.9, b = 0.9·2 + 1.9 = 3.7, p = 1.8 − 0.37 = 1.43
        let p = Tensor(shape: [1], scalars: [2]); p.requiresGrad = true
        let optimizer = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, weightDecay: 0.5)
        for _ in 0..<2 {
            optimizer.zeroGradients()
            p.sum().backward()
            optimizer.step()
        }
        XCTAssertEqual(p.scalars[0], 1.43, accuracy: 1e-5)
    }

    func testGlobalNormClipping() {
        let a = Tensor(shape: [2], scalars: [0, 0]); a.requiresGrad = true
        let b = Tensor(shape: [1], scalars: [0]); b.requiresGrad = true
        a.accumulateGradient(Tensor(shape: [2], scalars: [3, 0]))
        b.accumulateGradient(Tensor(shape: [1], scalars: [4]))
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        XCTAssertEqual(norm, 5, accuracy: 1e-6)
        XCTAssertEqual(a.grad!.scalars[0], 0.6, accuracy: 1e-5)
        XCTAssertEqual(b.grad!.scalars[0], 0.8, accuracy: 1e-5)
        // Below the limit nothing changes.
        XCTAssertEqual(clipGradientNorm([a, b], maxNorm: 10), 1, accuracy: 1e-5)
        XCTAssertEqual(b.grad!.scalars[0], 0.8, accuracy: 1e-5)
    }

    func testSchedulesMatchTransformers() {
        let constant = LearningRateSchedule(peakRate: 1, decay: .constant, warmupSteps: 4, totalSteps: 10)
        XCTAssertEqual((0..<6).map { constant.rate(atStep: $0) }, [0, 0.25, 0.5, 0.75, 1, 1])

        let linear = LearningRateSchedule(peakRate: 2, decay: .linear, warmupSteps: 2, totalSteps: 10)
        XCTAssertEqual(linear.rate(atStep: 1), 1)
        XCTAssertEqual(linear.rate(atStep: 2), 2)
        XCTAssertEqual(linear.rate(atStep: 6), 1)
        XCTAssertEqual(linear.rate(atStep: 10), 0)
        XCTAssertEqual(linear.rate(atStep: 12), 0)

        let cosine = LearningRateSchedule(peakRate: 1, decay: .cosine, warmupSteps: 0, totalSteps: 100)
        XCTAssertEqual(cosine.rate(atStep: 0), 1)
        XCTAssertEqual(cosine.rate(atStep: 50), 0.5, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(atStep: 25), Float(0.5 * (1 + cos(Double.pi / 4))), accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(atStep: 100), 0, accuracy: 1e-6)
    }
}
