import Tensor

/// One decoder layer: [N, hidden] → [N, hidden].
public protocol DecoderBlock {
    func callAsFunction(_ x: Tensor, batch: SequenceBatch, layer: Int) throws -> Tensor
}

/// The pre-norm residual block of Llama, Qwen2 and Phi-3:
/// x + attention(norm(x)), then h + mlp(norm(h)).
public struct PreNormBlock: DecoderBlock {
    public var inputNorm: RMSNormLayer
    public var attention: SelfAttention
    public var postAttentionNorm: RMSNormLayer
    public var feedForward: GatedFeedForward

    public func callAsFunction(_ x: Tensor, batch: SequenceBatch, layer: Int) throws -> Tensor {
        // Both branches end in a projection whose fresh output the residual sum may reuse.
        let h = addingResidual(x, into: try attention(inputNorm(x), batch: batch, layer: layer))
        return addingResidual(h, into: feedForward(postAttentionNorm(h)))
    }
}

/// How one architecture builds its layers from a checkpoint. One conformance per file
/// (Llama.swift, Qwen2.swift, Phi3.swift, Gemma3.swift).
public protocol DecoderArchitecture {
    /// Layer `index` from weights named as in the HF checkpoint (`model.layers.N.…`), rotating
    /// with `rope` (built once per distinct rotary setting and shared by the layers).
    static func block(_ index: Int, config: TransformerConfig, weights: ModelWeights, rope: RoPETable) throws -> DecoderBlock
    /// How the final norm (and the block norms) apply their weight.
    static var normWeighting: RMSNormWeighting { get }
    /// Embeddings are multiplied by this (Gemma: √hidden), or nil.
    static func embeddingScale(_ config: TransformerConfig) -> Float?
}

extension DecoderArchitecture {
    public static var normWeighting: RMSNormWeighting { .multiply }
    public static func embeddingScale(_ config: TransformerConfig) -> Float? { nil }

    static func norm(_ name: String, size: Int, config: TransformerConfig, weights: ModelWeights) throws -> RMSNormLayer {
        RMSNormLayer(weight: try weights.require(name, shape: [size]), epsilon: config.normEpsilon,
                     weighting: normWeighting)
    }

    /// The pre-norm block with separate projections (Llama, Qwen2), checkpoint names
    /// `model.layers.N.{input_layernorm, self_attn, post_attention_layernorm, mlp}`.
    static func preNormBlock(_ index: Int, config: TransformerConfig, weights: ModelWeights, rope: RoPETable,
                             attentionBias: ModelWeights.BiasRequirement) throws -> PreNormBlock {
        let prefix = "model.layers.\(index)"
        return PreNormBlock(
            inputNorm: try norm("\(prefix).input_layernorm.weight", size: config.hiddenSize, config: config, weights: weights),
            attention: try separateAttention("\(prefix).self_attn", config: config, weights: weights,
                                             rope: rope, layer: index, bias: attentionBias),
            postAttentionNorm: try norm("\(prefix).post_attention_layernorm.weight", size: config.hiddenSize,
                                        config: config, weights: weights),
            feedForward: try separateFeedForward("\(prefix).mlp", config: config, weights: weights))
    }

    /// Separate q/k/v/o projections, as Llama, Qwen2 and Gemma store them.
    static func separateAttention(_ prefix: String, config: TransformerConfig, weights: ModelWeights,
                                  rope: RoPETable, layer: Int, bias: ModelWeights.BiasRequirement) throws -> SelfAttention {
        let queryWidth = config.headCount * config.headDim, keyWidth = config.kvHeadCount * config.headDim
        return SelfAttention(
            projections: .separate(
                query: try weights.linear("\(prefix).q_proj", out: queryWidth, in: config.hiddenSize, bias: bias),
                key: try weights.linear("\(prefix).k_proj", out: keyWidth, in: config.hiddenSize, bias: bias),
                value: try weights.linear("\(prefix).v_proj", out: keyWidth, in: config.hiddenSize, bias: bias)),
            output: try weights.linear("\(prefix).o_proj", out: config.hiddenSize, in: queryWidth),
            queryNorm: nil, keyNorm: nil, rope: rope,
            heads: config.headCount, kvHeads: config.kvHeadCount, headDim: config.headDim, scale: config.attentionScale,
            slidingWindow: config.slidingWindow[layer], softCap: config.attentionLogitSoftcap)
    }

    /// Separate gate/up/down projections.
    static func separateFeedForward(_ prefix: String, config: TransformerConfig, weights: ModelWeights) throws -> GatedFeedForward {
        GatedFeedForward(
            projections: .separate(
                gate: try weights.linear("\(prefix).gate_proj", out: config.intermediateSize, in: config.hiddenSize),
                up: try weights.linear("\(prefix).up_proj", out: config.intermediateSize, in: config.hiddenSize)),
            down: try weights.linear("\(prefix).down_proj", out: config.hiddenSize, in: config.intermediateSize),
            activation: config.activation)
    }
}
