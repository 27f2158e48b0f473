import Foundation
import Tensor

/// A BERT encoder with sentence-transformers pooling (all-MiniLM-L6-v2): token + position +
/// type embeddings, post-norm blocks of bidirectional attention and a GELU MLP, then the mean
/// of the token states, L2-normalised.
public final class BertEncoder {
    struct Layer {
        var query: LinearLayer, key: LinearLayer, value: LinearLayer, attentionOutput: LinearLayer
        var attentionNorm: (weight: Tensor, bias: Tensor)
        var intermediate: LinearLayer, output: LinearLayer
        var outputNorm: (weight: Tensor, bias: Tensor)
    }

    public let hiddenSize: Int
    public let headCount: Int
    public let maxPositions: Int
    let epsilon: Float
    let wordEmbeddings: Tensor, positionEmbeddings: Tensor, typeEmbeddings: Tensor
    let embeddingNorm: (weight: Tensor, bias: Tensor)
    let layers: [Layer]

    /// Builds the encoder from a BERT `config.json` and its weights (names as in `BertModel`).
    public init(config: HuggingFaceConfig, weights: ModelWeights) throws {
        let modelType = try config.requiredString("model_type")
        guard modelType == "bert" else { throw ModelConfigError.unsupportedArchitecture(modelType) }
        let hidden = try config.requiredInt("hidden_size"), intermediate = try config.requiredInt("intermediate_size")
        hiddenSize = hidden
        headCount = try config.requiredInt("num_attention_heads")
        maxPositions = try config.optionalInt("max_position_embeddings") ?? 512
        epsilon = config.json["layer_norm_eps"]?.floatValue ?? 1e-12
        guard hidden > 0, intermediate > 0, maxPositions > 0, maxPositions <= TransformerConfig.maximumPositions else {
            throw ModelConfigError.invalidField("hidden_size, intermediate_size or max_position_embeddings",
                                                value: "\(hidden), \(intermediate), \(maxPositions) (expected positive sizes)",
                                                source: config.source)
        }
        guard headCount > 0, hidden % headCount == 0 else {
            throw ModelConfigError.invalidField("num_attention_heads", value: "\(headCount)", source: config.source)
        }
        let prefix = weights.optional("bert.embeddings.word_embeddings.weight") != nil ? "bert." : ""
        func norm(_ name: String) throws -> (Tensor, Tensor) {
            (try weights.require("\(prefix)\(name).weight", shape: [hidden]), try weights.require("\(prefix)\(name).bias", shape: [hidden]))
        }
        // A table with the right byte count but transposed must fail here, not in the embedding op.
        wordEmbeddings = try weights.require("\(prefix)embeddings.word_embeddings.weight",
                                             shape: [try config.requiredInt("vocab_size"), hidden])
        positionEmbeddings = try weights.require("\(prefix)embeddings.position_embeddings.weight", shape: [maxPositions, hidden])
        typeEmbeddings = try weights.require("\(prefix)embeddings.token_type_embeddings.weight",
                                             shape: [try config.optionalInt("type_vocab_size") ?? 2, hidden])
        embeddingNorm = try norm("embeddings.LayerNorm")
        let layerCount = try config.requiredInt("num_hidden_layers")
        try TransformerConfig.checkLayerCount(layerCount, field: "num_hidden_layers", source: config.source)
        layers = try (0..<layerCount).map { index in
            let p = "\(prefix)encoder.layer.\(index)"
            return Layer(
                query: try weights.linear("\(p).attention.self.query", out: hidden, in: hidden, bias: .required),
                key: try weights.linear("\(p).attention.self.key", out: hidden, in: hidden, bias: .required),
                value: try weights.linear("\(p).attention.self.value", out: hidden, in: hidden, bias: .required),
                attentionOutput: try weights.linear("\(p).attention.output.dense", out: hidden, in: hidden, bias: .required),
                attentionNorm: try norm("encoder.layer.\(index).attention.output.LayerNorm"),
                intermediate: try weights.linear("\(p).intermediate.dense", out: intermediate, in: hidden, bias: .required),
                output: try weights.linear("\(p).output.dense", out: hidden, in: intermediate, bias: .required),
                outputNorm: try norm("encoder.layer.\(index).output.LayerNorm"))
        }
    }

    /// Token states [T, hidden] of one sequence (no padding, so no mask).
    public func encode(_ ids: [Int]) throws -> Tensor {
        guard ids.count <= maxPositions else { throw GenerationError.contextFull(capacity: maxPositions) }
        let vocabulary = wordEmbeddings.shape[0]
        if let position = ids.firstIndex(where: { $0 < 0 || $0 >= vocabulary }) {
            throw ModelInputError.tokenOutOfRange(id: ids[position], position: position, vocabularySize: vocabulary)
        }
        let positions = Array(0..<ids.count)
        var x = embedding(ids, table: wordEmbeddings) + embedding(positions, table: positionEmbeddings)
            + embedding(Array(repeating: 0, count: ids.count), table: typeEmbeddings)
        x = layerNorm(x, weight: embeddingNorm.weight, bias: embeddingNorm.bias, eps: epsilon)
        for layer in layers {
            let attended = layer.attentionOutput(bidirectionalAttention(layer, x))
            x = layerNorm(x + attended, weight: layer.attentionNorm.weight, bias: layer.attentionNorm.bias, eps: epsilon)
            let mlp = layer.output(gelu(layer.intermediate(x)))
            x = layerNorm(x + mlp, weight: layer.outputNorm.weight, bias: layer.outputNorm.bias, eps: epsilon)
        }
        return x
    }

    /// The sentence embedding: mean over tokens, then divided by its L2 norm.
    public func sentenceEmbedding(_ ids: [Int]) throws -> [Float] {
        let states = try Autograd.noGrad { try encode(ids) }
        let mean = states.mean(alongAxis: 0).scalars
        let norm = max(mean.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        return mean.map { $0 / norm }
    }

    /// softmax(Q Kᵀ/√d) V per head, every token seeing every token.
    private func bidirectionalAttention(_ layer: Layer, _ x: Tensor) -> Tensor {
        let configuration = AttentionConfiguration(
            queryCount: x.shape[0], heads: headCount, kvHeads: headCount,
            headDim: hiddenSize / headCount, isCausal: false)
        return attention(query: layer.query(x), key: layer.key(x), value: layer.value(x), configuration: configuration)
    }
}

/// all-MiniLM-L6-v2 and its tokenizer: text → unit-length embedding.
public final class SentenceEncoder {
    public let encoder: BertEncoder
    public let tokenizer: PreTrainedTokenizer
    /// sentence-transformers' max_seq_length: longer inputs are truncated (keeping [SEP]).
    public let maxTokens: Int

    public init(encoder: BertEncoder, tokenizer: PreTrainedTokenizer, maxTokens: Int = 256) {
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.maxTokens = min(maxTokens, encoder.maxPositions)
    }

    /// Loads a registry name (default all-MiniLM-L6-v2) or a BERT model folder.
    public static func load(_ reference: String = ModelRegistry.defaultEncoderName,
                            registry: ModelRegistry = ModelRegistry()) throws -> SentenceEncoder {
        let location = try registry.resolve(reference)
        let folder = try HuggingFaceFolder(url: location.url)
        let encoder = try BertEncoder(config: try folder.config(),
                                      weights: try ModelWeights(checkpoint: folder.checkpoint()))
        var maxTokens = 256
        if let url = folder.file("sentence_bert_config.json"), let json = try? ConfigFile.object(at: url),
           let length = json["max_seq_length"]?.intValue {
            maxTokens = length
        }
        return SentenceEncoder(encoder: encoder, tokenizer: try Tokenizers.load(fromFolder: folder.url), maxTokens: maxTokens)
    }

    /// The token ids the encoder sees: [CLS] … [SEP], truncated to `maxTokens`.
    public func tokenIDs(_ text: String) -> [Int] {
        var ids = tokenizer.encode(text, addSpecialTokens: true)
        if ids.count > maxTokens, let last = ids.last {
            ids = Array(ids.prefix(maxTokens - 1)) + [last]
        }
        return ids
    }

    /// The unit-length embedding of `text`.
    public func embed(_ text: String) throws -> [Float] {
        try encoder.sentenceEmbedding(tokenIDs(text))
    }

    /// Cosine similarity of two unit-length embeddings.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
