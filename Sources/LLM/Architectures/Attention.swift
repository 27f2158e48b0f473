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
        return output(try attendWithCaches(query: query, key: key, value: value, batch: batch, layer: layer))
    }

    /// The KV-cache branch (decode steps, and prefills that fill a cache): appends each
    /// sequence's keys and values to its cache, then attends. Decode steps (a few rows a
    /// sequence) and caches that continue a shared prompt prefix go through one
    /// `cachedAttention` call for the whole batch; long prefills into a fresh cache keep the
    /// sgemm-based `attention`, which is also the only branch that records gradients.
    private func attendWithCaches(query: Tensor, key: Tensor, value: Tensor, batch: SequenceBatch, layer: Int) throws -> Tensor {
        let single = batch.sequences.count == 1
        let recording = Tensor.isRecording([query, key, value])
        var batched: [(index: Int, cache: KVCache)] = []
        var outputs: [Tensor?] = Array(repeating: nil, count: batch.sequences.count)
        for (index, sequence) in batch.sequences.enumerated() {
            var k = single ? key : key.rows(sequence.rows)
            var v = single ? value : value.rows(sequence.rows)
            if let cache = sequence.cache {
                try cache.append(layer: layer, key: k, value: v)
                if !recording && (cache.prefix != nil || sequence.rows.count <= SelfAttention.cachedAttentionRowLimit) {
                    batched.append((index, cache))
                    continue
                }
                // A prefill into a fresh cache attends to its own rows as computed; later rows
                // attend to everything stored (as stored: Float16 caches give rounded values).
                if !cache.holdsOnlyThisStep {
                    guard let stored = cache.contiguousRows(layer: layer) else { throw ModelInputError.cachedPrefixNeedsNoGrad }
                    (k, v) = stored
                }
            }
            let configuration = AttentionConfiguration(
                queryCount: sequence.rows.count, keyOffset: k.shape[0] - sequence.rows.count,
                heads: heads, kvHeads: kvHeads, headDim: headDim, scale: scale,
                slidingWindow: slidingWindow, softCap: softCap)
            outputs[index] = attention(query: single ? query : query.rows(sequence.rows), key: k, value: v,
                                       configuration: configuration)
        }
        var mixed: Tensor?
        if !batched.isEmpty {
            let shape = AttentionConfiguration(queryCount: 0, heads: heads, kvHeads: kvHeads, headDim: headDim, scale: scale,
                                               slidingWindow: slidingWindow, softCap: softCap)
            let sequences = batched.map { entry in
                CachedAttentionSequence(rows: batch.sequences[entry.index].rows, cache: entry.cache.segments(layer: layer))
            }
            // The caches (and so the segments' storage) stay alive in `batched` until this returns.
            mixed = withExtendedLifetime(batched) {
                cachedAttention(query: query, sequences: sequences, configuration: shape)
            }
        }
        let separate = outputs.compactMap { $0 }
        if separate.isEmpty, let mixed { return mixed }
        if batched.isEmpty { return separate.count == 1 ? separate[0] : Tensor.concatenate(separate, alongAxis: 0) }
        // Both kinds in one batch: the batched rows are already in place; copy the others in.
        let combined = mixed!
        combined.withUnsafeMutableBufferPointer { target in
            for (index, output) in outputs.enumerated() {
                guard let output else { continue }
                output.withUnsafeBufferPointer { rows in
                    let start = batch.sequences[index].rows.lowerBound * heads * headDim
                    (target.baseAddress! + start).update(from: rows.baseAddress!, count: rows.count)
                }
            }
        }
        return combined
    }

    /// Sequences with at most this many new rows attend through `cachedAttention` (decode steps);
    /// longer prefills into a fresh cache use sgemm.
    static let cachedAttentionRowLimit = 8

    private func project(_ x: Tensor) -> (Tensor, Tensor, Tensor) {
        switch projections {
        case let .separate(query, key, value):
            let products = LinearLayer.products(of: [query, key, value], sharingInput: x)
            return (products[0], products[1], products[2])
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
