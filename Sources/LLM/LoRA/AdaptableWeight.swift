import Tensor

/// Every projection of a `CausalLanguageModel` goes through one of these: the frozen base
/// matrix (dense or quantized) plus an optional LoRA slot. Attaching, disabling or swapping an
/// adapter fills or empties the slot; the model is never rebuilt and the base weights are never
/// copied. With an empty slot the product is exactly the base's.
public final class AdaptableWeight: WeightMatrix {
    /// The frozen checkpoint matrix.
    public let base: WeightMatrix
    /// The module path, as in Hugging Face checkpoints (`model.layers.3.mlp.down_proj`).
    public let moduleName: String
    /// The low-rank update in use, or nil (no adapter, or the adapter is disabled). The model's
    /// `attach`/`isAdapterEnabled` set it; set it directly only on a weight used on its own.
    public var lora: LoRAProjection?

    public init(base: WeightMatrix, moduleName: String) {
        self.base = base
        self.moduleName = moduleName
    }

    public var outFeatures: Int { base.outFeatures }
    public var inFeatures: Int { base.inFeatures }

    /// x·Wᵀ, plus scale·(x·Aᵀ)·Bᵀ when an adapter is in use.
    public func multiply(_ x: Tensor) -> Tensor {
        guard let lora else { return base.multiply(x) }
        return lora.adding(to: base.multiply(x), input: x)
    }

    /// x·Wᵀ + bias, plus the LoRA update when an adapter is in use. A dense base adds the bias
    /// inside its product (one sgemm), exactly as an unwrapped dense layer does.
    public func multiply(_ x: Tensor, addingBias bias: Tensor) -> Tensor {
        let product = baseProduct(x, addingBias: bias)
        guard let lora else { return product }
        return lora.adding(to: product, input: x)
    }

    /// x·Wᵀ (+ bias) of the frozen base alone, a fresh tensor the LoRA update may be written into.
    func baseProduct(_ x: Tensor, addingBias bias: Tensor?) -> Tensor {
        guard let bias else { return base.multiply(x) }
        if let dense = base as? DenseWeight { return linear(x, weight: dense.tensor, bias: bias) }
        return base.multiply(x) + bias
    }

    /// The Float32 matrix [out, in] this projection applies now: W + scale·B·A while an adapter
    /// is in use (a new tensor), W otherwise (a dense base's own tensor, shared: do not write to
    /// it; a quantized base's values dequantized into a new tensor). For exporting a merged
    /// model. Nil when the base is of a matrix type with no Float32 values.
    public func mergedWeight() -> Tensor? {
        guard let weight = baseTensor else { return nil }
        guard let lora else { return weight }
        return Autograd.noGrad { weight + Tensor.matmul(lora.b, lora.a) * lora.scale }
    }

    /// The base matrix's Float32 values, or nil for a matrix type that has none. A dense base
    /// returns its own tensor; a quantized base dequantizes its blocks into a new tensor on each
    /// read (it keeps no Float32 copy), so read it once per use.
    public var baseTensor: Tensor? {
        switch base {
        case let dense as DenseWeight: return dense.tensor
        case let quantized as QuantizedWeight: return quantized.dequantized()
        case let nested as AdaptableWeight: return nested.baseTensor
        default: return nil
        }
    }
}
