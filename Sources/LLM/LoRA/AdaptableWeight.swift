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
    /// The low-rank update in use, or nil (no adapter, or the adapter is disabled).
    public internal(set) var lora: LoRAProjection?

    public init(base: WeightMatrix, moduleName: String) {
        self.base = base
        self.moduleName = moduleName
    }

    public var outFeatures: Int { base.outFeatures }
    public var inFeatures: Int { base.inFeatures }

    /// x·Wᵀ, plus scale·(x·Aᵀ)·Bᵀ when an adapter is in use.
    public func multiply(_ x: Tensor) -> Tensor {
        guard let lora else { return base.multiply(x) }
        return base.multiply(x) + lora.delta(x)
    }

    /// The base matrix's Float32 values (the dense copy of a quantized matrix), or nil for a
    /// matrix type that keeps none.
    public var baseTensor: Tensor? {
        switch base {
        case let dense as DenseWeight: return dense.tensor
        case let quantized as QuantizedWeight: return quantized.dense
        case let nested as AdaptableWeight: return nested.baseTensor
        default: return nil
        }
    }
}
