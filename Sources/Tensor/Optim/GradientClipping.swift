/// Scales all gradients together so their global L2 norm is at most `maxNorm`, as
/// `torch.nn.utils.clip_grad_norm_`: factor = min(1, maxNorm / (norm + 1e-6)).
///
/// - Returns: the global norm before clipping (useful for logging). Parameters without a gradient
///   are ignored.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var sumOfSquares: Double = 0
    for parameter in parameters {
        parameter.grad?.withUnsafeBufferPointer { g in
            for value in g { sumOfSquares += Double(value) * Double(value) }
        }
    }
    let norm = Float(sumOfSquares.squareRoot())
    let factor = maxNorm / (norm + 1e-6)
    if factor < 1 {
        for parameter in parameters {
            parameter.grad?.withUnsafeMutableBufferPointer { g in
                for index in g.indices { g[index] *= factor }
            }
        }
    }
    return norm
}
