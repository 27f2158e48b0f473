import Foundation
import TextFormats

/// `config.json` of a Hugging Face model: the common fields typed, everything kept in `json`.
/// The typed properties are tolerant (a missing or oddly typed field reads as nil, so configs
/// from newer transformers versions still load); `requiredString`/`requiredInt`/`optionalInt`
/// are strict and name the file and field, for the architecture code that needs them.
public struct HuggingFaceConfig: Sendable {
    /// The whole parsed file.
    public let json: JSONValue
    /// Where it came from, for error messages.
    public let source: String

    public init(json: JSONValue, source: String = "config.json") {
        self.json = json
        self.source = source
    }

    /// Reads and parses `config.json` at `url`.
    public init(contentsOf url: URL) throws {
        self.init(json: try ConfigFile.object(at: url), source: url.path)
    }

    public var modelType: String? { string("model_type") }
    public var architectures: [String] { json["architectures"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
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
    public var hiddenActivation: String? { string("hidden_act") ?? string("hidden_activation") }
    /// `tie_word_embeddings`, default true as in transformers' PretrainedConfig.
    public var tiedWordEmbeddings: Bool { bool("tie_word_embeddings") ?? true }
    public var slidingWindow: Int? { int("sliding_window") }
    public var bosTokenID: Int? { int("bos_token_id") }
    /// `eos_token_id` as a list (it may be written as one int or a list).
    public var eosTokenIDs: [Int] { json["eos_token_id"]?.intList ?? [] }
    public var padTokenID: Int? { int("pad_token_id") }
    /// The storage dtype named by `torch_dtype` or (transformers 5) `dtype`.
    public var dtype: String? { string("torch_dtype") ?? string("dtype") }

    /// RoPE parameters: transformers 5's `rope_parameters`, else `rope_scaling`.
    public var ropeParameters: JSONValue? {
        if let parameters = json["rope_parameters"], parameters.objectValue != nil { return parameters }
        if let scaling = json["rope_scaling"], scaling.objectValue != nil { return scaling }
        return nil
    }

    /// `rope_theta`, or `rope_parameters.rope_theta` (transformers 5).
    public var ropeTheta: Double? {
        double("rope_theta") ?? ropeParameters?["rope_theta"]?.doubleValue
    }

    /// A field as an integer.
    public func int(_ key: String) -> Int? { json[key]?.intValue }
    /// A field as a number.
    public func double(_ key: String) -> Double? { json[key]?.doubleValue }
    /// A field as a bool.
    public func bool(_ key: String) -> Bool? { json[key]?.boolValue }
    /// A field as a string.
    public func string(_ key: String) -> String? { json[key]?.stringValue }

    /// A string field the model cannot be built without.
    public func requiredString(_ key: String) throws -> String {
        guard let value = string(key) else { throw ModelConfigError.missingField(key, source: source) }
        return value
    }

    /// An integer field the model cannot be built without.
    public func requiredInt(_ key: String) throws -> Int {
        guard let value = try optionalInt(key) else { throw ModelConfigError.missingField(key, source: source) }
        return value
    }

    /// An integer field that may be missing (or null) but must be an integer when present.
    public func optionalInt(_ key: String) throws -> Int? {
        guard let raw = json[key], raw != .null else { return nil }
        guard let value = raw.intValue else {
            throw ModelConfigError.invalidField(key, value: "\(JSONWriter().string(raw)) (expected an integer)", source: source)
        }
        return value
    }
}

extension HuggingFaceConfig: ExpressibleByDictionaryLiteral {
    /// A config written in place (`["model_type": "llama", …]`), named "config.json" in errors.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(json: .object(Dictionary(elements, uniquingKeysWith: { _, last in last })))
    }
}
