import Foundation

/// `config.json` of a Hugging Face model: the common fields typed, everything kept in `json`.
/// Tolerant: a missing or oddly typed field reads as nil rather than failing, so configs from
/// newer transformers versions still load. (Architecture code validates what it needs.)
public struct HuggingFaceConfig: @unchecked Sendable {
    /// The whole parsed file.
    public let json: [String: Any]

    public init(json: [String: Any]) {
        self.json = json
    }

    /// Reads and parses `config.json` at `url`.
    public init(contentsOf url: URL) throws {
        self.init(json: try LooseJSON.object(at: url))
    }

    public var modelType: String? { LooseJSON.string(json["model_type"]) }
    public var architectures: [String] { (json["architectures"] as? [String]) ?? [] }
    public var hiddenSize: Int? { int("hidden_size") }
    public var intermediateSize: Int? { int("intermediate_size") }
    public var layerCount: Int? { int("num_hidden_layers") }
    public var headCount: Int? { int("num_attention_heads") }
    /// `num_key_value_heads`, defaulting to the head count as transformers does.
    public var kvHeadCount: Int? { int("num_key_value_heads") ?? headCount }
    /// `head_dim`, or hidden size / head count.
    public var headDim: Int? {
        if let d = int("head_dim") { return d }
        guard let h = hiddenSize, let n = headCount, n > 0 else { return nil }
        return h / n
    }
    public var vocabularySize: Int? { int("vocab_size") }
    public var maxPositionEmbeddings: Int? { int("max_position_embeddings") }
    public var rmsNormEpsilon: Double? { double("rms_norm_eps") }
    public var layerNormEpsilon: Double? { double("layer_norm_eps") }
    public var hiddenActivation: String? { LooseJSON.string(json["hidden_act"]) ?? LooseJSON.string(json["hidden_activation"]) }
    /// `tie_word_embeddings`, default true as in transformers' PretrainedConfig.
    public var tiedWordEmbeddings: Bool { LooseJSON.bool(json["tie_word_embeddings"]) ?? true }
    public var slidingWindow: Int? { int("sliding_window") }
    public var bosTokenID: Int? { int("bos_token_id") }
    /// `eos_token_id` as a list (it may be written as one int or a list).
    public var eosTokenIDs: [Int] { LooseJSON.ints(json["eos_token_id"]) ?? [] }
    public var padTokenID: Int? { int("pad_token_id") }
    /// The storage dtype named by `torch_dtype` or (transformers 5) `dtype`.
    public var dtype: String? { LooseJSON.string(json["torch_dtype"]) ?? LooseJSON.string(json["dtype"]) }

    /// RoPE parameters: transformers 5's `rope_parameters`, else `rope_scaling`.
    public var ropeParameters: [String: Any]? {
        (json["rope_parameters"] as? [String: Any]) ?? (json["rope_scaling"] as? [String: Any])
    }

    /// `rope_theta`, or `rope_parameters.rope_theta` (transformers 5).
    public var ropeTheta: Double? {
        double("rope_theta") ?? LooseJSON.double(ropeParameters?["rope_theta"])
    }

    /// A field as an integer.
    public func int(_ key: String) -> Int? { LooseJSON.int(json[key]) }
    /// A field as a number.
    public func double(_ key: String) -> Double? { LooseJSON.double(json[key]) }
    /// A field as a bool.
    public func bool(_ key: String) -> Bool? { LooseJSON.bool(json[key]) }
    /// A field as a string.
    public func string(_ key: String) -> String? { LooseJSON.string(json[key]) }
}
