import Tensor

/// Gemma 3 (text): embeddings scaled by √hidden, (1 + w) RMSNorms, per-head Q/K norms, a norm
/// after attention and around the GELU-tanh MLP, per-layer sliding window and rope theta, and
/// the attention scale 1/√query_pre_attn_scalar.
public enum Gemma3: DecoderArchitecture {
    public static var normWeighting: RMSNormWeighting { .onePlus }

    public static func embeddingScale(_ config: TransformerConfig) -> Float? {
        Float(config.hiddenSize).squareRoot()
    }

    public static func block(_ index: Int, config: TransformerConfig, weights: ModelWeights, rope: RoPETable) throws -> DecoderBlock {
        let prefix = "model.layers.\(index)"
        var attention = try separateAttention("\(prefix).self_attn", config: config, weights: weights, rope: rope, layer: index, bias: .none)
        attention.queryNorm = try norm("\(prefix).self_attn.q_norm.weight", size: config.headDim, config: config, weights: weights)
        attention.keyNorm = try norm("\(prefix).self_attn.k_norm.weight", size: config.headDim, config: config, weights: weights)
        func layerNorm(_ name: String) throws -> RMSNormLayer {
            try norm("\(prefix).\(name).weight", size: config.hiddenSize, config: config, weights: weights)
        }
        return Gemma3Block(
            inputNorm: try layerNorm("input_layernorm"),
            attention: attention,
            postAttentionNorm: try layerNorm("post_attention_layernorm"),
            preFeedForwardNorm: try layerNorm("pre_feedforward_layernorm"),
            feedForward: try separateFeedForward("\(prefix).mlp", config: config, weights: weights),
            postFeedForwardNorm: try layerNorm("post_feedforward_layernorm"))
    }
}

/// x + postNorm(attention(inputNorm(x))), then h + postNorm(mlp(preNorm(h))).
public struct Gemma3Block: DecoderBlock {
    public var inputNorm: RMSNormLayer
    public var attention: SelfAttention
    public var postAttentionNorm: RMSNormLayer
    public var preFeedForwardNorm: RMSNormLayer
    public var feedForward: GatedFeedForward
    public var postFeedForwardNorm: RMSNormLayer

    public func callAsFunction(_ x: Tensor, batch: SequenceBatch, layer: Int) throws -> Tensor {
        let h = x + postAttentionNorm(try attention(inputNorm(x), batch: batch, layer: layer))
        return h + postFeedForwardNorm(feedForward(preFeedForwardNorm(h)))
    }
}
