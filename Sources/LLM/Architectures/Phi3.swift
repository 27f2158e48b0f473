import Tensor

/// Phi-3 / Phi-4: the pre-norm block with a fused `qkv_proj` (Q, K, V output columns) and a
/// fused `gate_up_proj` (gate, up), partial rotary embeddings.
public enum Phi3: DecoderArchitecture {
    public static func block(_ index: Int, config: TransformerConfig, weights: ModelWeights, rope: RoPETable) throws -> DecoderBlock {
        let prefix = "model.layers.\(index)"
        let queryWidth = config.headCount * config.headDim, keyWidth = config.kvHeadCount * config.headDim
        let attention = SelfAttention(
            projections: .fused(try weights.linear("\(prefix).self_attn.qkv_proj", out: queryWidth + 2 * keyWidth,
                                                   in: config.hiddenSize, bias: .optional)),
            output: try weights.linear("\(prefix).self_attn.o_proj", out: config.hiddenSize, in: queryWidth),
            queryNorm: nil, keyNorm: nil, rope: rope,
            heads: config.headCount, kvHeads: config.kvHeadCount, headDim: config.headDim, scale: config.attentionScale,
            slidingWindow: config.slidingWindow[index], softCap: nil)
        let feedForward = GatedFeedForward(
            projections: .fused(try weights.linear("\(prefix).mlp.gate_up_proj", out: 2 * config.intermediateSize, in: config.hiddenSize),
                                intermediateSize: config.intermediateSize),
            down: try weights.linear("\(prefix).mlp.down_proj", out: config.hiddenSize, in: config.intermediateSize),
            activation: config.activation)
        return PreNormBlock(
            inputNorm: try norm("\(prefix).input_layernorm.weight", size: config.hiddenSize, config: config, weights: weights),
            attention: attention,
            postAttentionNorm: try norm("\(prefix).post_attention_layernorm.weight", size: config.hiddenSize, config: config, weights: weights),
            feedForward: feedForward)
    }
}
