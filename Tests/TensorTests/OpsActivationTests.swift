import Tensor
import XCTest

final class OpsActivationTests: XCTestCase {
    func testActivationValues() {
        let x = Tensor(shape: [3], scalars: [-1, 0, 1])
        // References: torch.nn.functional.silu / gelu / gelu(approximate="tanh").
        XCTAssertLessThan(OpsGradientCheck.maxDifference(silu(x).scalars, [-0.26894142, 0, 0.73105858]), 1e-6)
        XCTAssertLessThan(OpsGradientCheck.maxDifference(gelu(x).scalars, [-0.15865525, 0, 0.84134475]), 1e-6)
        XCTAssertLessThan(OpsGradientCheck.maxDifference(geluTanh(x).scalars, [-0.15880801, 0, 0.84119199]), 1e-6)
    }

    func testActivationGradients() {
        let x = OpsGradientCheck.randomTensor([4, 9], seed: 10, scale: 2)
        for function in [Activation.silu, .gelu, .geluTanh] {
            OpsGradientCheck.check([x]) { activation(x, function) }
        }
    }

    func testGatedActivationValuesAndGradients() {
        let gate = OpsGradientCheck.randomTensor([3, 8], seed: 11, scale: 2)
        let up = OpsGradientCheck.randomTensor([3, 8], seed: 12)
        let fused = swiglu(gate: gate, up: up).scalars
        let expected = zip(gate.scalars, up.scalars).map { g, u in g / (1 + exp(-g)) * u }
        XCTAssertLessThan(OpsGradientCheck.maxDifference(fused, expected), 1e-5)
        OpsGradientCheck.check([gate, up]) { swiglu(gate: gate, up: up) }
        OpsGradientCheck.check([gate, up]) { gatedActivation(gate: gate, up: up, .geluTanh) }
    }
}
