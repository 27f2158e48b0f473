import Foundation
import Tensor
import XCTest

/// The fixture written by scripts/fixtures/make_adamw_reference.py (see its "about").
private struct AdamWReference: Decodable {
    struct Matrix: Decodable { let shape: [Int]; let values: [Float] }
    struct Config: Decodable { let lr, beta1, beta2, eps, weight_decay: Double }
    struct Parameters: Decodable { let weight, bias: [Float] }
    struct Step: Decodable { let loss: Float; let weight_grad, bias_grad, weight, bias: [Float] }
    let about: String
    let config: Config
    let x, y: Matrix
    let initial: Parameters
    let steps: [Step]

    static func load() throws -> AdamWReference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/adamw_torch.json")
        return try JSONDecoder().decode(AdamWReference.self, from: Data(contentsOf: url))
    }
}

final class OptimAdamWTests: XCTestCase {
    private func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, "\(what): max difference \(worst)", file: file, line: line)
    }

    /// Ten steps with gradients from our own autograd must land within 1e-6 of torch.
    func testMatchesTorchAdamWOverTenSteps() throws {
        let reference = try AdamWReference.load()
        let x = Tensor(shape: reference.x.shape, scalars: reference.x.values)
        let y = Tensor(shape: reference.y.shape, scalars: reference.y.values)
        let weight = Tensor(shape: [3, 4], scalars: reference.initial.weight)
        let bias = Tensor(shape: [4], scalars: reference.initial.bias)
        weight.requiresGrad = true
        bias.requiresGrad = true
        let c = reference.config
        let optimizer = AdamW(parameters: [weight, bias], learningRate: c.lr, betas: (c.beta1, c.beta2),
                              epsilon: c.eps, weightDecay: c.weight_decay)
        for (index, expected) in reference.steps.enumerated() {
            optimizer.zeroGradients()
            let loss = (Tensor.matmul(x, weight) + bias - y).squared().mean()
            XCTAssertEqual(loss.scalar, expected.loss, accuracy: 1e-5 * max(1, abs(expected.loss)), "loss at step \(index)")
            loss.backward()
            assertClose(weight.grad!.scalars, expected.weight_grad, tolerance: 1e-5, "weight gradient at step \(index)")
            assertClose(bias.grad!.scalars, expected.bias_grad, tolerance: 1e-5, "bias gradient at step \(index)")
            optimizer.step()
            assertClose(weight.scalars, expected.weight, tolerance: 1e-6, "weight after step \(index + 1)")
            assertClose(bias.scalars, expected.bias, tolerance: 1e-6, "bias after step \(index + 1)")
        }
        XCTAssertEqual(optimizer.stepCount, 10)
    }

    func testStateRoundTripsThroughJSONAndResumesExactly() throws {
        func makeParameter() -> Tensor {
            let p = Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0.25]); p.requiresGrad = true; return p
        }
        func train(_ parameter: Tensor, _ optimizer: AdamW, steps: Int) {
            for _ in 0..<steps {
                optimizer.zeroGradients()
                (parameter.squared() * 3 - parameter).sum().backward()
                optimizer.step()
            }
        }
        let straight = makeParameter()
        let straightOptimizer = AdamW(parameters: [straight], learningRate: 0.05)
        train(straight, straightOptimizer, steps: 6)

        let first = makeParameter()
        let firstOptimizer = AdamW(parameters: [first], learningRate: 0.05)
        train(first, firstOptimizer, steps: 3)
        let saved = try JSONEncoder().encode(firstOptimizer.state)
        let resumed = Tensor(shape: [2, 2], scalars: first.scalars); resumed.requiresGrad = true
        let resumedOptimizer = AdamW(parameters: [resumed])
        try resumedOptimizer.load(JSONDecoder().decode(AdamW.State.self, from: saved))
        XCTAssertEqual(resumedOptimizer.learningRate, 0.05)
        train(resumed, resumedOptimizer, steps: 3)
        XCTAssertEqual(resumed.scalars, straight.scalars)
    }

    func testLoadRejectsStateOfAnotherShape() {
        let a = Tensor(zeros: [3]); a.requiresGrad = true
        let state = AdamW(parameters: [a]).state
        let b = Tensor(zeros: [4]); b.requiresGrad = true
        XCTAssertThrowsError(try AdamW(parameters: [b]).load(state)) { error in
            XCTAssertEqual(error as? OptimizerError, .parameterSizeMismatch(index: 0, expected: 4, saved: 3))
        }
        XCTAssertThrowsError(try AdamW(parameters: [a, b]).load(state))
    }

    func testParametersWithoutGradientsAreSkipped() {
        let used = Tensor(shape: [1], scalars: [1]); used.requiresGrad = true
        let unused = Tensor(shape: [1], scalars: [1]); unused.requiresGrad = true
        let optimizer = AdamW(parameters: [used, unused], learningRate: 0.1, weightDecay: 0.5)
        used.sum().backward()
        optimizer.step()
        XCTAssertEqual(unused.scalars, [1], "no gradient: no decay, no update")
        XCTAssertLessThan(used.scalars[0], 1)
        XCTAssertEqual(optimizer.state.steps, [1, 0])
    }
}
