import Tensor

/// Qwen2 / Qwen2.5: the Llama block with biases on the Q, K and V projections.
public enum Qwen2: DecoderArchitecture {
    public static func block(_ index: Int, config: TransformerConfig, weights: ModelWeights, rope: RoPETable) throws -> DecoderBlock {
        try preNormBlock(index, config: config, weights: weights, rope: rope, attentionBias: .required)
    }
}
