import Tensor
import XCTest

/// Finite-difference gradient checks for ops recorded on the tape.
///
/// The loss is L = Σ g·f(inputs) for a fixed random upstream gradient g, accumulated in Double.
/// Analytic gradients come from `f().backward(g)`; numeric ones from central differences
/// (L(x+ε) − L(x−ε)) / 2ε on the Float32 inputs, for every scalar or a sample of them.
enum OpsGradientCheck {
    /// A tensor of `shape` with seeded normal scalars times `scale`.
    static func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var random = RandomStream(seed: seed)
        let count = Tensor.elementCount(of: shape)
        return Tensor(shape: shape, scalars: (0..<count).map { _ in random.nextNormal() * scale })
    }

    /// The largest |a[i] − b[i]|.
    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "maxDifference: \(a.count) vs \(b.count) scalars")
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    /// Checks the gradients of every tensor in `inputs`. Returns the worst relative error seen.
    @discardableResult
    static func check(
        _ inputs: [Tensor], eps: Float = 1e-2, tolerance: Double = 2e-3, samplesPerInput: Int = 48,
        seed: UInt64 = 7, file: StaticString = #filePath, line: UInt = #line, _ f: () -> Tensor
    ) -> Double {
        for input in inputs {
            input.requiresGrad = true
            input.zeroGradient()
        }
        let output = f()
        let upstream = randomTensor(output.shape, seed: seed)
        let g = upstream.scalars
        output.backward(upstream)
        func loss() -> Double {
            let values = Autograd.noGrad { f() }.scalars
            XCTAssertEqual(values.count, g.count, "output size changed", file: file, line: line)
            var total = 0.0
            for i in 0..<values.count { total += Double(values[i]) * Double(g[i]) }
            return total
        }
        var worst = 0.0
        var random = RandomStream(seed: seed &+ 1)
        for (inputIndex, input) in inputs.enumerated() {
            let analytic = input.grad?.scalars ?? [Float](repeating: 0, count: input.count)
            let indices = input.count <= samplesPerInput
                ? Array(0..<input.count)
                : (0..<samplesPerInput).map { _ in Int(random.next() % UInt64(input.count)) }
            var numeric: [Double] = []
            for index in indices {
                let original = input.withUnsafeBufferPointer { $0[index] }
                input.withUnsafeMutableBufferPointer { $0[index] = original + eps }
                let plus = loss()
                input.withUnsafeMutableBufferPointer { $0[index] = original - eps }
                let minus = loss()
                input.withUnsafeMutableBufferPointer { $0[index] = original }
                numeric.append((plus - minus) / (2 * Double(eps)))
            }
            let rms = (numeric.map { $0 * $0 }.reduce(0, +) / Double(max(1, numeric.count))).squareRoot()
            for (k, index) in indices.enumerated() {
                let a = Double(analytic[index]), n = numeric[k]
                let error = abs(a - n) / (max(abs(a), abs(n)) + rms + 1e-6)
                worst = max(worst, error)
                if error > tolerance {
                    XCTFail("input \(inputIndex) scalar \(index): analytic \(a) vs numeric \(n) (relative error \(error))",
                            file: file, line: line)
                    break
                }
            }
            XCTAssertGreaterThan(rms + analytic.map { Double(abs($0)) }.reduce(0, +), 0,
                                 "input \(inputIndex) got no gradient at all", file: file, line: line)
        }
        return worst
    }
}
