import Foundation
import TextFormats

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

    /// Reads the parsed file; a field of the wrong type reads as nil.
    public init(json: JSONValue) {
        self.init(bosTokenID: json["bos_token_id"]?.intValue,
                  eosTokenIDs: json["eos_token_id"]?.intList ?? [],
                  padTokenID: json["pad_token_id"]?.intValue,
                  doSample: json["do_sample"]?.boolValue,
                  temperature: json["temperature"]?.doubleValue,
                  topP: json["top_p"]?.doubleValue,
                  topK: json["top_k"]?.intValue,
                  repetitionPenalty: json["repetition_penalty"]?.doubleValue,
                  maxNewTokens: json["max_new_tokens"]?.intValue)
    }

    /// Reads `generation_config.json` at `url`.
    public init(contentsOf url: URL) throws {
        self.init(json: try ConfigFile.object(at: url))
    }
}
