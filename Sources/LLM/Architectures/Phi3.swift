import Tensor

/// Phi-3 / Phi-4: the pre-norm block with a fused `qkv_proj` (Q, K, V output columns) and a
/// fused `gate_up_proj` (gate, up), partial rotary embeddings.
public enum Phi3: DecoderArchitecture {
    public static func block(_ index: Int, config c: TransformerConfig, weights: ModelWeights, rope: RoPETable) throws -> DecoderBlock {
        let prefix = "model.layers.\(index)"
        let queryWidth = c.headCount * c.headDim, keyWidth = c.kvHeadCount * c.headDim
        let attention = SelfAttention(
            projections: .fused(try weights.linear("\(prefix).self_attn.qkv_proj", out: queryWidth + 2 * keyWidth,
                                                   in: c.hiddenSize, bias: .optional)),
            output: try weights.linear("\(prefix).self_attn.o_proj", out: c.hiddenSize, in: queryWidth),
            queryNorm: nil, keyNorm: nil, rope: rope,
            heads: c.headCount, kvHeads: c.kvHeadCount, headDim: c.headDim, scale: c.attentionScale,
            slidingWindow: c.slidingWindow[index], softCap: nil)
        let feedForward = GatedFeedForward(
            projections: .fused(try weights.linear("\(prefix).mlp.gate_up_proj", out: 2 * c.intermediateSize, in: c.hiddenSize),
                                intermediateSize: c.intermediateSize),
            down: try weights.linear("\(prefix).mlp.down_proj", out: c.hiddenSize, in: c.intermediateSize),
            activation: c.activation)
        return PreNormBlock(
            inputNorm: try norm("\(prefix).input_layernorm.weight", size: c.hiddenSize, config: c, weights: weights),
            attention: attention,
            postAttentionNorm: try norm("\(prefix).post_attention_layernorm.weight", size: c.hiddenSize, config: c, weights: weights),
            feedForward: feedForward)
    }
}
