import Foundation

/// Adam with decoupled weight decay (Loshchilov & Hutter), step for step like `torch.optim.AdamW`.
///
/// For each parameter p with gradient g, at its step t:
///   p ← p·(1 − lr·λ);  m ← m + (1−β₁)(g − m);  v ← β₂v + (1−β₂)g²
///   p ← p − lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε)
/// Scalar factors are formed in Double and applied in Float, in torch's order, so the results
/// agree with PyTorch to float rounding. Parameters without a gradient are skipped (their step
/// count does not advance), as in torch.
public final class AdamW: Optimizer {
    /// Hyperparameters (torch's defaults).
    public struct Configuration: Codable, Equatable, Sendable {
        public var learningRate: Double = 1e-3
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var epsilon: Double = 1e-8
        public var weightDecay: Double = 1e-2

        public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                    epsilon: Double = 1e-8, weightDecay: Double = 1e-2) {
            self.learningRate = learningRate
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    /// Everything needed to resume exactly: hyperparameters, per-parameter step counts and moments.
    public struct State: Codable, Equatable, Sendable {
        public var configuration: Configuration
        public var steps: [Int]
        public var firstMoments: [[Float]]
        public var secondMoments: [[Float]]

        /// A state read back from a checkpoint.
        public init(configuration: Configuration, steps: [Int], firstMoments: [[Float]], secondMoments: [[Float]]) {
            self.configuration = configuration
            self.steps = steps
            self.firstMoments = firstMoments
            self.secondMoments = secondMoments
        }
    }

    public let parameters: [Tensor]
    public var configuration: Configuration
    private var steps: [Int]
    private var firstMoments: [Tensor]
    private var secondMoments: [Tensor]

    /// An optimizer over `parameters` with the given hyperparameters.
    public init(parameters: [Tensor], configuration: Configuration = Configuration()) {
        self.parameters = parameters
        self.configuration = configuration
        steps = Array(repeating: 0, count: parameters.count)
        firstMoments = parameters.map { Tensor(zeros: $0.shape) }
        secondMoments = parameters.map { Tensor(zeros: $0.shape) }
    }

    /// An optimizer over `parameters` (torch's argument names and defaults).
    public convenience init(parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            epsilon: Double = 1e-8, weightDecay: Double = 1e-2) {
        self.init(parameters: parameters, configuration: Configuration(
            learningRate: learningRate, beta1: betas.0, beta2: betas.1, epsilon: epsilon, weightDecay: weightDecay))
    }

    public var learningRate: Float {
        get { Float(configuration.learningRate) }
        set { configuration.learningRate = Double(newValue) }
    }

    /// How many updates the first parameter has received.
    public var stepCount: Int { steps.first ?? 0 }

    public func step() {
        let c = configuration
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.grad else { continue }
            steps[index] += 1
            let t = Double(steps[index])
            let decay = Float(1 - c.learningRate * c.weightDecay)
            let oneMinusBeta1 = Float(1 - c.beta1), beta2 = Float(c.beta2), oneMinusBeta2 = Float(1 - c.beta2)
            let stepSize = Float(c.learningRate / (1 - Foundation.pow(c.beta1, t)))
            let correction2Root = Float((1 - Foundation.pow(c.beta2, t)).squareRoot())
            let epsilon = Float(c.epsilon)
            parameter.withUnsafeMutableBufferPointer { p in
                gradient.withUnsafeBufferPointer { g in
                    firstMoments[index].withUnsafeMutableBufferPointer { m in
                        secondMoments[index].withUnsafeMutableBufferPointer { v in
                            Parallel.forEachChunk(count: p.count) { range in
                                for i in range {
                                    p[i] *= decay
                                    m[i] += oneMinusBeta1 * (g[i] - m[i])
                                    v[i] = v[i] * beta2 + oneMinusBeta2 * g[i] * g[i]
                                    let denominator = v[i].squareRoot() / correction2Root + epsilon
                                    p[i] += -stepSize * (m[i] / denominator)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A snapshot of the optimizer's state, for checkpoints.
    public var state: State {
        State(configuration: configuration, steps: steps,
              firstMoments: firstMoments.map(\.scalars), secondMoments: secondMoments.map(\.scalars))
    }

    /// Restores a snapshot taken from an optimizer over parameters of the same shapes.
    public func load(_ state: State) throws {
        let expected = parameters.count
        for saved in [state.steps.count, state.firstMoments.count, state.secondMoments.count] where saved != expected {
            throw OptimizerError.parameterCountMismatch(expected: expected, saved: saved)
        }
        for (index, parameter) in parameters.enumerated() {
            for saved in [state.firstMoments[index].count, state.secondMoments[index].count] where saved != parameter.count {
                throw OptimizerError.parameterSizeMismatch(index: index, expected: parameter.count, saved: saved)
            }
        }
        configuration = state.configuration
        steps = state.steps
        firstMoments = zip(parameters, state.firstMoments).map { Tensor(shape: $0.shape, scalars: $1) }
        secondMoments = zip(parameters, state.secondMoments).map { Tensor(shape: $0.shape, scalars: $1) }
    }
}
