import Foundation
import TextFormats

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

    /// Builds the config from the parsed JSON object; a field of the wrong type reads as nil.
    public init(json: JSONValue) {
        var named = [String: String]()
        var template: String?
        if let text = json["chat_template"]?.stringValue {
            template = text
        } else if let list = json["chat_template"]?.arrayValue {
            for entry in list {
                if let name = entry["name"]?.stringValue, let text = entry["template"]?.stringValue { named[name] = text }
            }
            template = named["default"]
        }
        var added = [AddedToken]()
        if let decoder = json["added_tokens_decoder"]?.objectValue {
            for (key, token) in decoder {
                guard let id = Int(key), let content = token["content"]?.stringValue else { continue }
                added.append(AddedToken(
                    content: content, id: id, isSpecial: token["special"]?.boolValue ?? false,
                    stripsLeft: token["lstrip"]?.boolValue ?? false,
                    stripsRight: token["rstrip"]?.boolValue ?? false,
                    isNormalized: token["normalized"]?.boolValue ?? false))
            }
            added.sort { $0.id < $1.id }
        }
        let maxLength = json["model_max_length"]?.doubleValue.flatMap { $0 < 1e15 ? Int($0) : nil }
        self.init(chatTemplate: template, namedChatTemplates: named,
                  bosToken: json["bos_token"]?.tokenContent,
                  eosToken: json["eos_token"]?.tokenContent,
                  padToken: json["pad_token"]?.tokenContent,
                  unknownToken: json["unk_token"]?.tokenContent,
                  addBosToken: json["add_bos_token"]?.boolValue,
                  addEosToken: json["add_eos_token"]?.boolValue,
                  modelMaxLength: maxLength, addedTokens: added)
    }

    /// Reads `tokenizer_config.json` at `url`.
    public init(contentsOf url: URL) throws {
        self.init(json: try ConfigFile.object(at: url))
    }
}
