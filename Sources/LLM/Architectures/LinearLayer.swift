import Tensor

/// A weight matrix [outFeatures, inFeatures] (Hugging Face layout) as the architectures see it.
/// Dense Float32 weights are one implementation; a quantized kernel plugs in as another
/// conformance without touching the architectures.
public protocol WeightMatrix: AnyObject {
    var outFeatures: Int { get }
    var inFeatures: Int { get }
    /// x [rows, inFeatures] → x·Wᵀ [rows, outFeatures], differentiable with respect to x (and W
    /// when it is trainable).
    func multiply(_ x: Tensor) -> Tensor
}

/// Float32 weights held in a `Tensor`; gradients flow to it when `tensor.requiresGrad`.
public final class DenseWeight: WeightMatrix {
    public let tensor: Tensor

    public init(_ tensor: Tensor) {
        precondition(tensor.rank == 2, "DenseWeight: expected a matrix, got shape \(tensor.shape)")
        self.tensor = tensor
    }

    public var outFeatures: Int { tensor.shape[0] }
    public var inFeatures: Int { tensor.shape[1] }

    public func multiply(_ x: Tensor) -> Tensor {
        linear(x, weight: tensor)
    }
}

/// y = x·Wᵀ + b, the projection every architecture is built from.
public struct LinearLayer {
    public var weight: WeightMatrix
    public var bias: Tensor?

    public init(weight: WeightMatrix, bias: Tensor? = nil) {
        self.weight = weight
        self.bias = bias
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard let bias else { return weight.multiply(x) }
        if let dense = weight as? DenseWeight { return linear(x, weight: dense.tensor, bias: bias) }
        if let adaptable = weight as? AdaptableWeight { return adaptable.multiply(x, addingBias: bias) }
        return weight.multiply(x) + bias
    }
}
