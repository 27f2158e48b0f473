import Tensor

/// Llama 2/3.x and SmolLM2: pre-norm blocks, RMSNorm, SwiGLU MLP, grouped KV heads, RoPE
/// (with llama3 frequency scaling when configured), tied or untied LM head.
public enum Llama: DecoderArchitecture {
    public static func block(_ index: Int, config: TransformerConfig, weights: ModelWeights, rope: RoPETable) throws -> DecoderBlock {
        try preNormBlock(index, config: config, weights: weights, rope: rope, attentionBias: .optional)
    }
}
