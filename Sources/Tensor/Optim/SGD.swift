/// Stochastic gradient descent with optional momentum and (coupled) weight decay, as `torch.optim.SGD`.
///
/// d = g + λp; with momentum μ: b ← d on the first step, then b ← μb + (1 − dampening)d, and
/// d = b (or d + μb with Nesterov); p ← p − lr·d.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let momentum: Float
    public let dampening: Float
    public let weightDecay: Float
    public let nesterov: Bool
    private var momentumBuffers: [Tensor?]

    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        momentumBuffers = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        for (index, parameter) in parameters.enumerated() {
            guard let gradient = parameter.grad else { continue }
            let direction = Tensor(zeros: parameter.shape)
            direction.withUnsafeMutableBufferPointer { d in
                parameter.withUnsafeBufferPointer { p in
                    gradient.withUnsafeBufferPointer { g in
                        for i in 0..<d.count { d[i] = g[i] + weightDecay * p[i] }
                    }
                }
                guard momentum != 0 else { return }
                if let buffer = momentumBuffers[index] {
                    buffer.withUnsafeMutableBufferPointer { b in
                        for i in 0..<d.count { b[i] = momentum * b[i] + (1 - dampening) * d[i] }
                    }
                } else {
                    momentumBuffers[index] = direction.copy()
                }
                momentumBuffers[index]!.withUnsafeBufferPointer { b in
                    for i in 0..<d.count { d[i] = nesterov ? d[i] + momentum * b[i] : b[i] }
                }
            }
            parameter.withUnsafeMutableBufferPointer { p in
                direction.withUnsafeBufferPointer { d in
                    for i in 0..<p.count { p[i] -= learningRate * d[i] }
                }
            }
        }
    }
}
