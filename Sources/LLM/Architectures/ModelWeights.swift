import Tensor

/// A model's tensors by Hugging Face name (`model.layers.0.self_attn.q_proj.weight`), already
/// converted to HF layout by the loader.
public struct ModelWeights {
    /// The Float32 tensors: every tensor not in `quantized`.
    public var tensors: [String: Tensor]
    /// The matrices a quantized checkpoint keeps as blocks only (same names, same layout, never
    /// dequantized as a whole): the model multiplies them through `QuantizedWeight`.
    public var quantized: [String: QuantizedMatrix] = [:]
    /// Where the weights came from, for error messages.
    public var source: String
    /// Where `linear` lists the projections it builds (set by `CausalLanguageModel`).
    var projectionRegistry: ProjectionRegistry?

    public init(tensors: [String: Tensor], source: String) {
        self.tensors = tensors
        self.source = source
    }

    /// Every tensor name, Float32 or blocks.
    public var names: [String] { Array(tensors.keys) + quantized.keys.filter { tensors[$0] == nil } }

    /// True when the checkpoint has the tensor `name` (Float32 or blocks).
    public func contains(_ name: String) -> Bool { tensors[name] != nil || quantized[name] != nil }

    /// The tensor `name` as Float32 (blocks are dequantized into a new tensor), checked against
    /// `shape` when given.
    public func require(_ name: String, shape: [Int]? = nil) throws -> Tensor {
        if let blocks = quantized[name], tensors[name] == nil {
            try check(name, shape: blocks.shape, against: shape)
            return blocks.dequantized()
        }
        guard let tensor = tensors[name] else { throw ModelWeightError.missingTensor(name: name, source: source) }
        try check(name, shape: tensor.shape, against: shape)
        return tensor
    }

    /// The tensor `name` as Float32 (dequantized when kept as blocks), or nil.
    public func optional(_ name: String) -> Tensor? {
        tensors[name] ?? quantized[name]?.dequantized()
    }

    /// Every tensor as Float32, blocks dequantized (for export, which writes every value).
    public func float32Tensors() -> [String: Tensor] {
        var all = tensors
        for (name, blocks) in quantized where all[name] == nil { all[name] = blocks.dequantized() }
        return all
    }

    private func check(_ name: String, shape actual: [Int], against expected: [Int]?) throws {
        if let expected, actual != expected {
            throw ModelWeightError.wrongShape(name: name, expected: expected, actual: actual, source: source)
        }
    }

    /// A linear layer `prefix.weight` [out, in] with an optional `prefix.bias`. Its weight is an
    /// `AdaptableWeight` named `prefix` (so a LoRA adapter can be attached later), registered
    /// with `projectionRegistry` when one is set.
    public func linear(_ prefix: String, out: Int, in inFeatures: Int, bias: BiasRequirement = .none) throws -> LinearLayer {
        let weight = try matrix("\(prefix).weight", shape: [out, inFeatures])
        let biasTensor: Tensor?
        switch bias {
        case .none: biasTensor = nil
        case .optional: biasTensor = tensors["\(prefix).bias"]
        case .required: biasTensor = try require("\(prefix).bias", shape: [out])
        }
        if let biasTensor, biasTensor.count != out {
            throw ModelWeightError.wrongShape(name: "\(prefix).bias", expected: [out], actual: biasTensor.shape, source: source)
        }
        let adaptable = AdaptableWeight(base: weight, moduleName: prefix)
        projectionRegistry?.register(adaptable)
        return LinearLayer(weight: adaptable, bias: biasTensor)
    }

    /// The weight matrix `name` [out, in], checked against `shape`: its blocks when the checkpoint
    /// keeps it quantized, its Float32 values otherwise.
    public func matrix(_ name: String, shape: [Int]) throws -> WeightMatrix {
        if let blocks = quantized[name], tensors[name] == nil {
            try check(name, shape: blocks.shape, against: shape)
            return QuantizedWeight(blocks: blocks)
        }
        return DenseWeight(try require(name, shape: shape))
    }

    /// The [vocabulary, hidden] table `name` (token embeddings, LM head), checked against `shape`:
    /// its blocks when the checkpoint keeps it quantized, its Float32 values otherwise.
    public func tokenTable(_ name: String, shape: [Int]) throws -> TokenTable {
        if let blocks = quantized[name], tensors[name] == nil {
            try check(name, shape: blocks.shape, against: shape)
            return .blocks(blocks)
        }
        return .float32(try require(name, shape: shape))
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
