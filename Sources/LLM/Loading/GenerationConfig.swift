import Foundation

/// `generation_config.json`: the token ids and sampling defaults a model ships with.
public struct GenerationConfig: Sendable, Equatable {
    public var bosTokenID: Int?
    /// Stop tokens (`eos_token_id` may be one int or a list).
    public var eosTokenIDs: [Int]
    public var padTokenID: Int?
    public var doSample: Bool?
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var repetitionPenalty: Double?
    public var maxNewTokens: Int?

    public init(bosTokenID: Int? = nil, eosTokenIDs: [Int] = [], padTokenID: Int? = nil, doSample: Bool? = nil,
                temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil,
                repetitionPenalty: Double? = nil, maxNewTokens: Int? = nil) {
        self.bosTokenID = bosTokenID
        self.eosTokenIDs = eosTokenIDs
        self.padTokenID = padTokenID
        self.doSample = doSample
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.repetitionPenalty = repetitionPenalty
        self.maxNewTokens = maxNewTokens
    }

    public init(json: [String: Any]) {
        self.init(bosTokenID: LooseJSON.int(json["bos_token_id"]),
                  eosTokenIDs: LooseJSON.ints(json["eos_token_id"]) ?? [],
                  padTokenID: LooseJSON.int(json["pad_token_id"]),
                  doSample: LooseJSON.bool(json["do_sample"]),
                  temperature: LooseJSON.double(json["temperature"]),
                  topP: LooseJSON.double(json["top_p"]),
                  topK: LooseJSON.int(json["top_k"]),
                  repetitionPenalty: LooseJSON.double(json["repetition_penalty"]),
                  maxNewTokens: LooseJSON.int(json["max_new_tokens"]))
    }

    /// Reads `generation_config.json` at `url`.
    public init(contentsOf url: URL) throws {
        self.init(json: try LooseJSON.object(at: url))
    }
}
