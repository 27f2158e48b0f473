/// Something that updates parameters from their accumulated gradients.
public protocol Optimizer: AnyObject {
    /// The tensors this optimizer updates, in a fixed order (the order of its saved state).
    var parameters: [Tensor] { get }
    /// The rate used by the next `step()`; schedules set it before each step.
    var learningRate: Float { get set }
    /// Updates every parameter that has a gradient, outside the autograd tape.
    func step()
}

extension Optimizer {
    /// Forgets every parameter's gradient (call after `step()`, before the next accumulation).
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }
}

/// Errors from restoring optimizer state.
public enum OptimizerError: Error, CustomStringConvertible, Equatable {
    /// The saved state was made for a different number of parameters.
    case parameterCountMismatch(expected: Int, saved: Int)
    /// A saved buffer does not match its parameter's size.
    case parameterSizeMismatch(index: Int, expected: Int, saved: Int)

    public var description: String {
        switch self {
        case .parameterCountMismatch(let expected, let saved):
            return "The optimizer state holds \(saved) parameters but this model has \(expected); load the state into the model it was saved from."
        case .parameterSizeMismatch(let index, let expected, let saved):
            return "Parameter \(index) has \(expected) values but its saved optimizer state has \(saved); the checkpoint belongs to a different model shape."
        }
    }
}
