import Tensor

/// A model's tensors by Hugging Face name (`model.layers.0.self_attn.q_proj.weight`), already
/// converted to HF layout by the loader.
public struct ModelWeights {
    public var tensors: [String: Tensor]
    /// The matrices a quantized checkpoint also keeps as blocks (same names, same layout), for
    /// products over a few rows (`QuantizedWeight`).
    public var quantized: [String: QuantizedMatrix] = [:]
    /// Where the weights came from, for error messages.
    public var source: String
    /// Where `linear` lists the projections it builds (set by `CausalLanguageModel`).
    var projectionRegistry: ProjectionRegistry?

    public init(tensors: [String: Tensor], source: String) {
        self.tensors = tensors
        self.source = source
    }

    /// The tensor `name`, checked against `shape` when given.
    public func require(_ name: String, shape: [Int]? = nil) throws -> Tensor {
        guard let tensor = tensors[name] else { throw ModelWeightError.missingTensor(name: name, source: source) }
        if let shape, tensor.shape != shape {
            throw ModelWeightError.wrongShape(name: name, expected: shape, actual: tensor.shape, source: source)
        }
        return tensor
    }

    public func optional(_ name: String) -> Tensor? { tensors[name] }

    /// A linear layer `prefix.weight` [out, in] with an optional `prefix.bias`. Its weight is an
    /// `AdaptableWeight` named `prefix` (so a LoRA adapter can be attached later), registered
    /// with `projectionRegistry` when one is set.
    public func linear(_ prefix: String, out: Int, in inFeatures: Int, bias: BiasRequirement = .none) throws -> LinearLayer {
        let weight = try require("\(prefix).weight", shape: [out, inFeatures])
        let biasTensor: Tensor?
        switch bias {
        case .none: biasTensor = nil
        case .optional: biasTensor = tensors["\(prefix).bias"]
        case .required: biasTensor = try require("\(prefix).bias", shape: [out])
        }
        if let biasTensor, biasTensor.count != out {
            throw ModelWeightError.wrongShape(name: "\(prefix).bias", expected: [out], actual: biasTensor.shape, source: source)
        }
        let adaptable = AdaptableWeight(base: matrix("\(prefix).weight", dense: weight), moduleName: prefix)
        projectionRegistry?.register(adaptable)
        return LinearLayer(weight: adaptable, bias: biasTensor)
    }

    /// The weight matrix `name` whose Float32 values are `dense`: quantized as well when the
    /// checkpoint keeps it as blocks.
    public func matrix(_ name: String, dense: Tensor) -> WeightMatrix {
        guard let blocks = quantized[name], blocks.shape == dense.shape else { return DenseWeight(dense) }
        return QuantizedWeight(dense: dense, blocks: blocks)
    }

    public enum BiasRequirement { case none, optional, required }
}

/// A checkpoint that lacks a tensor the architecture needs, or has it in the wrong shape.
public enum ModelWeightError: Error, CustomStringConvertible, Equatable {
    case missingTensor(name: String, source: String)
    case wrongShape(name: String, expected: [Int], actual: [Int], source: String)

    public var description: String {
        switch self {
        case let .missingTensor(name, source):
            return "\(source) has no tensor '\(name)', which this architecture needs. The checkpoint is incomplete or belongs to another architecture; check config.json's model_type."
        case let .wrongShape(name, expected, actual, source):
            return "Tensor '\(name)' in \(source) has shape \(actual), but config.json implies \(expected). The config and the weights do not belong together."
        }
    }
}
