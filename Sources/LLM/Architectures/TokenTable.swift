import Tensor

/// A [vocabulary, hidden] table: a model's token embeddings, and its LM head (the same table
/// when tied). Float32, or the checkpoint's quantized blocks, which are then the only copy.
public enum TokenTable {
    case float32(Tensor)
    case blocks(QuantizedMatrix)

    /// [vocabulary, hidden].
    public var shape: [Int] {
        switch self {
        case let .float32(tensor): return tensor.shape
        case let .blocks(matrix): return matrix.shape
        }
    }

    /// The number of rows (tokens).
    public var vocabularySize: Int { shape[0] }

    /// The table as the weight of a product x·tableᵀ (logits).
    public var weightMatrix: WeightMatrix {
        switch self {
        case let .float32(tensor): return DenseWeight(tensor)
        case let .blocks(matrix): return QuantizedWeight(blocks: matrix)
        }
    }

    /// The Float32 values: the tensor itself, or the blocks dequantized into a new tensor.
    public func float32Values() -> Tensor {
        switch self {
        case let .float32(tensor): return tensor
        case let .blocks(matrix): return matrix.dequantized()
        }
    }
}

/// Rows of `table` for each id: [ids.count, hidden]. Differentiable with respect to a Float32
/// table; a quantized one is frozen.
public func embedding(_ ids: [Int], table: TokenTable) -> Tensor {
    switch table {
    case let .float32(tensor): return embedding(ids, table: tensor)
    case let .blocks(matrix): return embedding(ids, table: matrix)
    }
}

/// `frozenHeadTokenLogProbs` with the head as a `TokenTable`; a quantized head is dequantized
/// one vocabulary tile at a time inside the op's tiled loop (no Float32 copy of the table).
public func frozenHeadTokenLogProbs(hidden: Tensor, weight: TokenTable, targets: [Int],
                                    options: TokenLogProbOptions = TokenLogProbOptions(),
                                    computeEntropy: Bool = false) -> TokenLogProbs {
    switch weight {
    case let .float32(tensor):
        return frozenHeadTokenLogProbs(hidden: hidden, weight: tensor, targets: targets, options: options,
                                       computeEntropy: computeEntropy)
    case let .blocks(matrix):
        return frozenHeadTokenLogProbs(hidden: hidden, weight: matrix, targets: targets, options: options,
                                       computeEntropy: computeEntropy)
    }
}

/// `tokenLogProbs` with the head as a `TokenTable`; a quantized head is dequantized one
/// vocabulary tile at a time and gets no gradient.
public func tokenLogProbs(hidden: Tensor, weight: TokenTable, targets: [Int],
                          options: TokenLogProbOptions = TokenLogProbOptions(),
                          computeEntropy: Bool = false) -> TokenLogProbs {
    switch weight {
    case let .float32(tensor):
        return tokenLogProbs(hidden: hidden, weight: tensor, targets: targets, options: options,
                             computeEntropy: computeEntropy)
    case let .blocks(matrix):
        return tokenLogProbs(hidden: hidden, weight: matrix, targets: targets, options: options,
                             computeEntropy: computeEntropy)
    }
}
