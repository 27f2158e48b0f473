import Tensor
import XCTest

/// Finite-difference gradient checking shared by the op tests.
///
/// `check` builds the loss `Σ weights ⊙ f(inputs)` with fixed pseudo-random weights (so every
/// output element matters differently), back-propagates, and compares each input gradient with
/// central differences `(L(x+ε) − L(x−ε)) / 2ε`, the loss summed in Double. Inputs should be
/// well scaled (|x| ≲ 2) and away from kinks.
enum GradientCheck {
    static func check(
        _ inputs: [Tensor], epsilon: Float = 1e-2, relativeTolerance: Float = 2e-2, absoluteTolerance: Float = 2e-3,
        file: StaticString = #filePath, line: UInt = #line,
        _ function: ([Tensor]) -> Tensor
    ) {
        for input in inputs { input.requiresGrad = true; input.zeroGradient() }
        let probe = Autograd.noGrad { function(inputs) }
        var stream = RandomStream(seed: 1234)
        let weights = Tensor.uniform(probe.shape, in: -1...1, using: &stream)
        let weightValues = weights.scalars

        func loss() -> Double {
            let values = Autograd.noGrad { function(inputs) }.scalars
            return zip(values, weightValues).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }

        (function(inputs) * weights).sum().backward()
        for (inputIndex, input) in inputs.enumerated() {
            guard let analytic = input.grad?.scalars else {
                XCTFail("input \(inputIndex) received no gradient", file: file, line: line)
                continue
            }
            for index in 0..<input.count {
                let original = input.storage.buffer[input.offset + index]
                input.storage.buffer[input.offset + index] = original + epsilon
                let plus = loss()
                input.storage.buffer[input.offset + index] = original - epsilon
                let minus = loss()
                input.storage.buffer[input.offset + index] = original
                let numeric = Float((plus - minus) / Double(2 * epsilon))
                let tolerance = absoluteTolerance + relativeTolerance * max(abs(numeric), abs(analytic[index]))
                if abs(numeric - analytic[index]) > tolerance {
                    XCTFail("input \(inputIndex)[\(index)]: analytic \(analytic[index]) vs numeric \(numeric)",
                            file: file, line: line)
                    return
                }
            }
        }
    }

    /// A well-scaled random tensor for gradient checks.
    static func random(_ shape: [Int], seed: UInt64, in range: ClosedRange<Float> = -1...1) -> Tensor {
        var stream = RandomStream(seed: seed)
        return Tensor.uniform(shape, in: range, using: &stream)
    }
}
