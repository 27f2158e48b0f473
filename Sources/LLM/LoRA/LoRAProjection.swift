import Tensor

/// One adapted projection's low-rank pair: the update scale · (x·Aᵀ)·Bᵀ that is added to the
/// frozen base product. A [rank, in] and B [out, rank] are PEFT's shapes and are leaf views into
/// the adapter's flat buffer, so their gradients land where the optimizer looks for them.
public final class LoRAProjection {
    /// The module path this pair adapts (`model.layers.0.self_attn.q_proj`).
    public let moduleName: String
    /// lora_A, [rank, inFeatures].
    public let a: Tensor
    /// lora_B, [outFeatures, rank].
    public let b: Tensor
    /// alpha/r (or alpha/√r with rsLoRA).
    public let scale: Float
    let dropout: LoRADropout?

    init(moduleName: String, a: Tensor, b: Tensor, scale: Float, dropout: LoRADropout?) {
        self.moduleName = moduleName
        self.a = a
        self.b = b
        self.scale = scale
        self.dropout = dropout
    }

    public var rank: Int { a.shape[0] }
    public var inFeatures: Int { a.shape[1] }
    public var outFeatures: Int { b.shape[0] }

    /// scale · (dropout(x)·Aᵀ)·Bᵀ for x [rows, inFeatures], differentiable with respect to A, B
    /// and x. The scale is applied to the [rows, rank] intermediate, the smallest tensor on the
    /// way. Dropout masks inputs only while gradients are recorded (training).
    public func delta(_ x: Tensor) -> Tensor {
        var input = x
        if let dropout, Tensor.isRecording([x, a, b]) { input = x * dropout.nextMask(shape: x.shape) }
        return linear(linear(input, weight: a) * scale, weight: b)
    }
}

/// Seeded inverted dropout for LoRA inputs: each scalar is kept with probability 1 − p and scaled
/// by 1/(1 − p). One stream serves every projection of an adapter, in call order.
final class LoRADropout {
    let probability: Float
    var stream: RandomStream

    init(probability: Float, stream: RandomStream) {
        self.probability = probability
        self.stream = stream
    }

    /// A mask of zeros and 1/(1 − p) (a constant: no gradient flows into it).
    func nextMask(shape: [Int]) -> Tensor {
        let mask = Tensor(zeros: shape)
        let kept = 1 / (1 - probability)
        mask.withUnsafeMutableBufferPointer { values in
            for index in values.indices where stream.nextUniform() >= probability { values[index] = kept }
        }
        return mask
    }
}
