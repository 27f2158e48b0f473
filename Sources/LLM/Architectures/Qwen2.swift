import Tensor

/// Qwen2 / Qwen2.5: the Llama block with biases on the Q, K and V projections.
public enum Qwen2: DecoderArchitecture {
    public static func block(_ index: Int, config: TransformerConfig, weights: ModelWeights, rope: RoPETable) throws -> DecoderBlock {
        let prefix = "model.layers.\(index)"
        return PreNormBlock(
            inputNorm: try norm("\(prefix).input_layernorm.weight", size: config.hiddenSize, config: config, weights: weights),
            attention: try separateAttention("\(prefix).self_attn", config: config, weights: weights,
                                             rope: rope, layer: index, bias: .required),
            postAttentionNorm: try norm("\(prefix).post_attention_layernorm.weight", size: config.hiddenSize,
                                        config: config, weights: weights),
            feedForward: try separateFeedForward("\(prefix).mlp", config: config, weights: weights))
    }
}
