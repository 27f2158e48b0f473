import Tensor

/// A LoRA adapter: one low-rank pair per adapted projection, every A and B a leaf view into ONE
/// flat Float32 buffer (llm.c style), so AdamW, gradient clipping, checkpoints and export are
/// single loops over `flatValues` / `flatGradients`.
///
/// Layout of the buffer: for each adapted module in model order, A [rank, in] then B [out, rank].
public final class LoRAAdapter {
    /// The configuration; `targetModules` holds the resolved names (Phi-3's fused modules
    /// substituted), as they are saved to adapter_config.json.
    public let config: LoRAConfig
    /// The adapted projections, in model order.
    public let projections: [LoRAProjection]
    /// Every parameter's values, in the buffer order above.
    public let flatValues: Tensor
    private let gradientBuffer: Tensor
    private let gradientViews: [Tensor]
    let dropout: LoRADropout?

    /// A zero adapter (A and B all zero) for `modules` (path, out, in) in buffer order.
    init(config: LoRAConfig, modules: [(name: String, outFeatures: Int, inFeatures: Int)]) {
        self.config = config
        let r = config.rank
        let total = modules.reduce(0) { $0 + r * ($1.inFeatures + $1.outFeatures) }
        let storage = TensorStorage(count: total), gradientStorage = TensorStorage(count: total)
        flatValues = Tensor(shape: [total], storage: storage)
        gradientBuffer = Tensor(shape: [total], storage: gradientStorage)
        dropout = config.dropout > 0
            ? LoRADropout(probability: Float(config.dropout), stream: RandomStreams(seed: config.seed).dropout)
            : nil
        var offset = 0, projections: [LoRAProjection] = [], gradientViews: [Tensor] = []
        for module in modules {
            let aShape = [r, module.inFeatures], bShape = [module.outFeatures, r]
            let a = Tensor(shape: aShape, storage: storage, offset: offset)
            gradientViews.append(Tensor(shape: aShape, storage: gradientStorage, offset: offset))
            offset += a.count
            let b = Tensor(shape: bShape, storage: storage, offset: offset)
            gradientViews.append(Tensor(shape: bShape, storage: gradientStorage, offset: offset))
            offset += b.count
            a.requiresGrad = true
            b.requiresGrad = true
            projections.append(LoRAProjection(moduleName: module.name, a: a, b: b, scale: config.scale, dropout: dropout))
        }
        self.projections = projections
        self.gradientViews = gradientViews
    }

    /// A fresh adapter for `network` initialized as PEFT does: A Kaiming-uniform
    /// (U(−1/√in, 1/√in), drawn from the seed's initialization stream in buffer order), B zero,
    /// so the adapted model starts with exactly the base model's outputs.
    public static func initialized(for network: CausalLanguageModel, config: LoRAConfig) throws -> LoRAAdapter {
        let adapter = try zeros(for: network, config: config)
        var stream = RandomStreams(seed: config.seed).initialization
        for projection in adapter.projections {
            let bound = 1 / Float(projection.inFeatures).squareRoot()
            projection.a.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] = (2 * stream.nextUniform() - 1) * bound }
            }
        }
        return adapter
    }

    /// An all-zero adapter for `network` (the shape `config` implies), for loading values into.
    static func zeros(for network: CausalLanguageModel, config: LoRAConfig) throws -> LoRAAdapter {
        try config.validate()
        let targets = try LoRATargets(config.targetModules, in: network.projections)
        var resolved = config
        resolved.targetModules = targets.names
        let modules = targets.modules.compactMap { name in
            network.projections[name].map { (name: name, outFeatures: $0.outFeatures, inFeatures: $0.inFeatures) }
        }
        return LoRAAdapter(config: resolved, modules: modules)
    }

    /// Every A and B (leaf tensors with `requiresGrad`), A before B, modules in model order.
    public var parameters: [Tensor] { projections.flatMap { [$0.a, $0.b] } }

    /// `parameters` under their PEFT key names
    /// (`base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`).
    public var namedParameters: [(name: String, tensor: Tensor)] {
        projections.flatMap { projection in
            [(LoRAAdapter.key(projection.moduleName, matrix: "lora_A"), projection.a),
             (LoRAAdapter.key(projection.moduleName, matrix: "lora_B"), projection.b)]
        }
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { flatValues.count }

    /// The module paths this adapter adapts, in model order.
    public var moduleNames: [String] { projections.map(\.moduleName) }

    /// Every parameter's gradient in one buffer laid out like `flatValues`. Each parameter's
    /// `grad` is made a view into it (gradients accumulated elsewhere are copied in first), so
    /// later backward passes accumulate straight into this buffer.
    public var flatGradients: Tensor {
        for (parameter, view) in zip(parameters, gradientViews) where parameter.grad !== view {
            view.withUnsafeMutableBufferPointer { target in
                if let existing = parameter.grad {
                    existing.withUnsafeBufferPointer { _ = target.update(fromContentsOf: $0) }
                } else {
                    target.update(repeating: 0)
                }
            }
            parameter.grad = view
        }
        return gradientBuffer
    }

    /// Sets every gradient to zero (in the flat buffer) before the next accumulation.
    public func zeroGradients() {
        gradientBuffer.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        for (parameter, view) in zip(parameters, gradientViews) { parameter.grad = view }
    }

    /// The dropout stream's position (for exact resumption from a checkpoint); nil without dropout.
    public var dropoutStream: RandomStream? {
        get { dropout?.stream }
        set { if let newValue { dropout?.stream = newValue } }
    }

    /// PEFT's safetensors key for `matrix` ("lora_A" or "lora_B") of `module`.
    static func key(_ module: String, matrix: String) -> String {
        "base_model.model.\(module).\(matrix).weight"
    }
}
