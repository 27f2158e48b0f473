import Foundation

/// The parts of `tokenizer_config.json` that chat formatting needs: the chat template and the
/// special token strings (written either as `"<s>"` or as `{"content": "<s>", …}`).
public struct TokenizerConfig: Sendable, Equatable {
    /// The chat template; when the file holds a list of named templates, the one named "default".
    public var chatTemplate: String?
    /// Every named template, when the file holds a list (`[{"name": …, "template": …}]`).
    public var namedChatTemplates: [String: String]
    public var bosToken: String?
    public var eosToken: String?
    public var padToken: String?
    public var unknownToken: String?
    public var addBosToken: Bool?
    public var addEosToken: Bool?
    public var modelMaxLength: Int?
    /// `added_tokens_decoder`: id → token with its flags.
    public var addedTokens: [AddedToken]

    public init(chatTemplate: String? = nil, namedChatTemplates: [String: String] = [:], bosToken: String? = nil,
                eosToken: String? = nil, padToken: String? = nil, unknownToken: String? = nil,
                addBosToken: Bool? = nil, addEosToken: Bool? = nil, modelMaxLength: Int? = nil,
                addedTokens: [AddedToken] = []) {
        self.chatTemplate = chatTemplate
        self.namedChatTemplates = namedChatTemplates
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.padToken = padToken
        self.unknownToken = unknownToken
        self.addBosToken = addBosToken
        self.addEosToken = addEosToken
        self.modelMaxLength = modelMaxLength
        self.addedTokens = addedTokens
    }

    /// Builds the config from the parsed JSON object.
    public init(json: [String: Any]) {
        var named = [String: String]()
        var template: String?
        if let s = json["chat_template"] as? String {
            template = s
        } else if let list = json["chat_template"] as? [[String: Any]] {
            for entry in list {
                if let name = entry["name"] as? String, let t = entry["template"] as? String { named[name] = t }
            }
            template = named["default"]
        }
        var added = [AddedToken]()
        if let decoder = json["added_tokens_decoder"] as? [String: Any] {
            for (key, value) in decoder {
                guard let id = Int(key), let token = value as? [String: Any],
                      let content = token["content"] as? String else { continue }
                added.append(AddedToken(
                    content: content, id: id, isSpecial: LooseJSON.bool(token["special"]) ?? false,
                    stripsLeft: LooseJSON.bool(token["lstrip"]) ?? false,
                    stripsRight: LooseJSON.bool(token["rstrip"]) ?? false,
                    isNormalized: LooseJSON.bool(token["normalized"]) ?? false))
            }
            added.sort { $0.id < $1.id }
        }
        let maxLength = LooseJSON.double(json["model_max_length"]).flatMap { $0 < 1e15 ? Int($0) : nil }
        self.init(chatTemplate: template, namedChatTemplates: named,
                  bosToken: LooseJSON.tokenContent(json["bos_token"]),
                  eosToken: LooseJSON.tokenContent(json["eos_token"]),
                  padToken: LooseJSON.tokenContent(json["pad_token"]),
                  unknownToken: LooseJSON.tokenContent(json["unk_token"]),
                  addBosToken: LooseJSON.bool(json["add_bos_token"]),
                  addEosToken: LooseJSON.bool(json["add_eos_token"]),
                  modelMaxLength: maxLength, addedTokens: added)
    }

    /// Reads `tokenizer_config.json` at `url`.
    public init(contentsOf url: URL) throws {
        self.init(json: try LooseJSON.object(at: url))
    }
}
