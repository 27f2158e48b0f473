import Tensor

/// Llama 2/3.x and SmolLM2: pre-norm blocks, RMSNorm, SwiGLU MLP, grouped KV heads, RoPE
/// (with llama3 frequency scaling when configured), tied or untied LM head.
public enum Llama: DecoderArchitecture {
    public static func block(_ index: Int, config: TransformerConfig, weights: ModelWeights, rope: RoPETable) throws -> DecoderBlock {
        let prefix = "model.layers.\(index)"
        return PreNormBlock(
            inputNorm: try norm("\(prefix).input_layernorm.weight", size: config.hiddenSize, config: config, weights: weights),
            attention: try separateAttention("\(prefix).self_attn", config: config, weights: weights,
                                             rope: rope, layer: index, bias: .optional),
            postAttentionNorm: try norm("\(prefix).post_attention_layernorm.weight", size: config.hiddenSize,
                                        config: config, weights: weights),
            feedForward: try separateFeedForward("\(prefix).mlp", config: config, weights: weights))
    }
}
