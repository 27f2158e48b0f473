import Tensor

/// Multi-head causal self-attention with grouped KV heads and rotary positions, shared by the
/// architectures: separate or fused Q/K/V projections, optional per-head Q/K norms (Gemma 3),
/// an optional sliding window and logit soft-cap.
public struct SelfAttention {
    public enum Projections {
        case separate(query: LinearLayer, key: LinearLayer, value: LinearLayer)
        /// Phi-3's `qkv_proj`: one matrix whose output columns are Q, then K, then V.
        case fused(LinearLayer)
    }

    public var projections: Projections
    public var output: LinearLayer
    /// Per-head RMSNorm of queries and keys before RoPE (Gemma 3).
    public var queryNorm: RMSNormLayer?
    public var keyNorm: RMSNormLayer?
    public var rope: RoPETable
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var scale: Float
    public var slidingWindow: Int?
    public var softCap: Float?

    /// x [N, hidden] → [N, hidden]. Sequences attend only within themselves (and to the prefix
    /// they continue); a sequence with a cache appends its keys/values and attends to the whole cache. The result is the output
    /// projection's fresh product (`addingResidual` may consume it).
    public func callAsFunction(_ x: Tensor, batch: SequenceBatch, layer: Int) throws -> Tensor {
        var (query, key, value) = project(x)
        let positions = batch.positions
        if let queryNorm { query = queryNorm(query.reshaped([x.shape[0] * heads, headDim])).reshaped(query.shape) }
        if let keyNorm { key = keyNorm(key.reshaped([x.shape[0] * kvHeads, headDim])).reshaped(key.shape) }
        if batch.sequences.allSatisfy({ $0.cache == nil }) {
            // Prefill, scoring and training: one op over the packed rows, rotary inside.
            let configuration = AttentionConfiguration(
                queryCount: x.shape[0], heads: heads, kvHeads: kvHeads, headDim: headDim, scale: scale,
                slidingWindow: slidingWindow, softCap: softCap)
            let mixed = packedAttention(query: query, key: key, value: value, sequences: batch.packedSequences,
                                        configuration: configuration,
                                        rotary: RotaryPositions(table: rope, positions: positions))
            return output(mixed)
        }
        query = rotaryEmbedding(query, table: rope, positions: positions, heads: heads)
        key = rotaryEmbedding(key, table: rope, positions: positions, heads: kvHeads)

        var outputs: [Tensor] = []
        for sequence in batch.sequences {
            let single = batch.sequences.count == 1
            let q = single ? query : query.rows(sequence.rows)
            var k = single ? key : key.rows(sequence.rows)
            var v = single ? value : value.rows(sequence.rows)
            if let cache = sequence.cache {
                (k, v) = try cache.append(layer: layer, key: k, value: v)
            }
            let configuration = AttentionConfiguration(
                queryCount: sequence.rows.count, keyOffset: k.shape[0] - sequence.rows.count,
                heads: heads, kvHeads: kvHeads, headDim: headDim, scale: scale,
                slidingWindow: slidingWindow, softCap: softCap)
            outputs.append(attention(query: q, key: k, value: v, configuration: configuration))
        }
        let mixed = outputs.count == 1 ? outputs[0] : Tensor.concatenate(outputs, alongAxis: 0)
        return output(mixed)
    }

    private func project(_ x: Tensor) -> (Tensor, Tensor, Tensor) {
        switch projections {
        case let .separate(query, key, value):
            return (query(x), key(x), value(x))
        case let .fused(qkv):
            let parts = qkv(x).split(sizes: [heads * headDim, kvHeads * headDim, kvHeads * headDim], alongAxis: 1)
            return (parts[0], parts[1], parts[2])
        }
    }
}

/// RMSNorm with a learned weight: `x · w` (Llama) or `x · (1 + w)` (Gemma).
public struct RMSNormLayer {
    public var weight: Tensor
    public var epsilon: Float
    public var weighting: RMSNormWeighting

    public func callAsFunction(_ x: Tensor) -> Tensor {
        rmsNorm(x, weight: weight, eps: epsilon, weighting: weighting)
    }
}
