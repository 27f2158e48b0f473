import Foundation
import Tensor

/// A decoder-only language model: embeddings, the architecture's blocks, a final norm and the
/// LM head (tied to the embeddings or separate). Weights stay in Hugging Face layout.
public final class CausalLanguageModel {
    public let config: TransformerConfig
    /// [vocabulary, hidden]; the checkpoint's blocks when it is quantized.
    public let embeddings: TokenTable
    public let blocks: [DecoderBlock]
    public let finalNorm: RMSNormLayer
    /// [vocabulary, hidden]; the embedding table itself when tied.
    public let head: TokenTable
    /// `head` as the product `logits` uses (quantized as well when the checkpoint is).
    public let headMatrix: WeightMatrix
    /// Bytes of the quantized blocks, the only copy of the quantized matrices (0 for Float32
    /// checkpoints).
    public let quantizedByteCount: Int
    let embeddingScale: Float?
    /// Every projection by module path (`model.layers.3.self_attn.q_proj`), where LoRA
    /// adapters attach.
    public let projections: ProjectionRegistry

    /// Builds the model of `config.family` from `weights` (HF names), checking every shape.
    public init(config: TransformerConfig, weights: ModelWeights) throws {
        projections = ProjectionRegistry()
        var weights = weights
        weights.projectionRegistry = projections
        let architecture: DecoderArchitecture.Type
        switch config.family {
        case .llama: architecture = Llama.self
        case .qwen2: architecture = Qwen2.self
        case .phi3: architecture = Phi3.self
        case .gemma3: architecture = Gemma3.self
        }
        try Self.checkLayers(config: config, weights: weights)
        self.config = config
        quantizedByteCount = weights.quantized.values.reduce(0) { $0 + $1.bytes.count }
        let tableShape = [config.vocabularySize, config.hiddenSize]
        embeddings = try weights.tokenTable("model.embed_tokens.weight", shape: tableShape)
        if config.tiedEmbeddings, !weights.contains("lm_head.weight") {
            head = embeddings
        } else {
            head = try weights.tokenTable("lm_head.weight", shape: tableShape)
        }
        headMatrix = head.weightMatrix
        finalNorm = RMSNormLayer(weight: try weights.require("model.norm.weight", shape: [config.hiddenSize]),
                                 epsilon: config.normEpsilon, weighting: architecture.normWeighting)
        embeddingScale = architecture.embeddingScale(config)

        // One rotary table per distinct setting, shared by the layers that use it.
        var tables: [String: RoPETable] = [:]
        blocks = try (0..<config.layerCount).map { index in
            let rotary = config.rotary[index]
            let key = "\(rotary.theta)|\(rotary.scaling)"
            let table = tables[key] ?? RoPETable(rotaryDim: config.rotaryDim, maxPositions: config.maxPositions,
                                                 base: rotary.theta, scaling: rotary.scaling)
            tables[key] = table
            return try architecture.block(index, config: config, weights: weights, rope: table)
        }
    }

    /// The config's layer count must match the blocks the weights hold: a count too small would
    /// silently drop layers, one too large would fail deep inside a block (or allocate for
    /// blocks that do not exist).
    private static func checkLayers(config: TransformerConfig, weights: ModelWeights) throws {
        var present = Set<Int>()
        for name in weights.names where name.hasPrefix("model.layers.") {
            let rest = name.dropFirst("model.layers.".count)
            if let index = Int(rest.prefix { $0 != "." }) { present.insert(index) }
        }
        let expected = Set(0..<config.layerCount)
        guard present == expected else {
            let found = present.isEmpty ? "none" : "\(present.count) (indices \(present.min()!)...\(present.max()!))"
            throw ModelConfigError.invalidField(
                "num_hidden_layers", value: "\(config.layerCount), but the weights hold blocks for \(found) layers; expected blocks 0..<\(config.layerCount)",
                source: weights.source)
        }
    }

    /// Throws `ModelInputError.tokenOutOfRange` for an id the embedding table has no row for.
    public func checkTokens(_ tokens: [Int]) throws {
        let vocabulary = embeddings.vocabularySize
        if let position = tokens.firstIndex(where: { $0 < 0 || $0 >= vocabulary }) {
            throw ModelInputError.tokenOutOfRange(id: tokens[position], position: position, vocabularySize: vocabulary)
        }
    }

    /// Final-norm hidden states [N, hidden] for every new token of `batch`. With caches, keys
    /// and values are appended and the caches advance.
    public func hiddenStates(_ batch: SequenceBatch) throws -> Tensor {
        try checkTokens(batch.tokens)
        for sequence in batch.sequences {
            let end = sequence.startPosition + sequence.rows.count
            guard end <= config.maxPositions else {
                throw GenerationError.contextFull(capacity: config.maxPositions)
            }
        }
        var x = embedding(batch.tokens, table: embeddings)
        if let embeddingScale { x = x * embeddingScale }
        for (index, block) in blocks.enumerated() {
            x = try block(x, batch: batch, layer: index)
        }
        for sequence in batch.sequences { sequence.cache?.commit() }
        return finalNorm(x)
    }

    /// Logits [N, vocabulary] of hidden states [N, hidden] (soft-capped when configured).
    public func logits(_ hidden: Tensor) -> Tensor {
        let raw = headMatrix.multiply(hidden)
        guard let cap = config.finalLogitSoftcap else { return raw }
        return softCapped(raw, cap: cap)
    }

    /// Logits for every token of one sequence, no cache: [tokens.count, vocabulary].
    public func logits(tokens: [Int]) throws -> Tensor {
        logits(try hiddenStates(SequenceBatch(tokens: [tokens])))
    }

    /// A cache for one sequence of up to `capacity` positions, its rows stored as `format`.
    public func makeCache(capacity: Int, format: KeyValueFormat = .float32) -> KVCache {
        KVCache(layers: config.layerCount, kvWidth: config.kvHeadCount * config.headDim,
                capacity: min(capacity, config.maxPositions), format: format)
    }

    /// Parameter count, Float32 and quantized (the tied head counted once).
    public var parameterCount: Int {
        var seen = Set<ObjectIdentifier>()
        var total = 0
        for tensor in parameters where seen.insert(ObjectIdentifier(tensor.storage)).inserted { total += tensor.count }
        for matrix in quantizedMatrices where seen.insert(ObjectIdentifier(matrix)).inserted { total += matrix.rows * matrix.columns }
        return total
    }

    /// The number of weights held as Float32 (all of them for a Float32 checkpoint; the norms,
    /// and any matrix of a type without block kernels, for a quantized one).
    public var float32ParameterCount: Int {
        var seen = Set<ObjectIdentifier>()
        return parameters.reduce(0) { total, tensor in
            seen.insert(ObjectIdentifier(tensor.storage)).inserted ? total + tensor.count : total
        }
    }

    /// Every Float32 weight tensor of the model (quantized matrices have no Float32 copy).
    public var parameters: [Tensor] { weightsByKind.tensors }

    /// Every quantized weight matrix of the model.
    public var quantizedMatrices: [QuantizedMatrix] { weightsByKind.quantized }

    private var weightsByKind: (tensors: [Tensor], quantized: [QuantizedMatrix]) {
        var found = WeightCollection()
        for table in [embeddings, head] { found.add(table) }
        found.tensors.append(finalNorm.weight)
        for block in blocks { found.collect(in: Mirror(reflecting: block)) }
        return (found.tensors, found.quantized)
    }
}

/// The weights found by walking a model's blocks.
private struct WeightCollection {
    var tensors: [Tensor] = []
    var quantized: [QuantizedMatrix] = []

    mutating func add(_ table: TokenTable) {
        switch table {
        case let .float32(tensor): tensors.append(tensor)
        case let .blocks(matrix): quantized.append(matrix)
        }
    }

    mutating func add(_ matrix: WeightMatrix) {
        switch matrix {
        case let dense as DenseWeight: tensors.append(dense.tensor)
        case let blocks as QuantizedWeight: quantized.append(blocks.blocks)
        case let adaptable as AdaptableWeight: add(adaptable.base)
        default: break
        }
    }

    mutating func collect(in mirror: Mirror) {
        for child in mirror.children {
            // Lookup tables (RoPE cos/sin) hold no weights; casting them (Foundation bridges
            // arrays on Linux) or walking their elements took seconds. Compare metatypes only.
            if type(of: child.value) == [Float].self { continue }
            if let tensor = child.value as? Tensor { tensors.append(tensor) }
            else if let matrix = child.value as? WeightMatrix { add(matrix) }
            else { collect(in: Mirror(reflecting: child.value)) }
        }
    }
}

/// cap · tanh(x / cap), elementwise and differentiable (Gemma's final-logit soft-capping).
func softCapped(_ x: Tensor, cap: Float) -> Tensor {
    let out = Tensor(zeros: x.shape)
    out.withUnsafeMutableBufferPointer { y in
        x.withUnsafeBufferPointer { input in
            for index in 0..<input.count { y[index] = cap * tanhf(input[index] / cap) }
        }
    }
    let saved = out.detach()
    return Tensor.record(out, inputs: [x]) { outGrad in
        x.withGradient { dx in
            saved.withUnsafeBufferPointer { y in
                outGrad.withUnsafeBufferPointer { dy in
                    for index in 0..<dx.count {
                        let ratio = y[index] / cap
                        dx[index] += dy[index] * (1 - ratio * ratio)
                    }
                }
            }
        }
    }
}
