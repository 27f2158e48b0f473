import Foundation
import Tensor

/// `tokenizer.ggml.*` and `tokenizer.chat_template` entries built from a Hugging Face folder's
/// tokenizer.json and tokenizer_config.json (byte-level BPE tokenizers: SmolLM2, GPT-2, Llama 3,
/// Qwen2). A folder without tokenizer.json gets `tokenizer.ggml.model = "no_vocab"`.
enum GGUFTokenizerMetadata {
    static func entries(folder: HuggingFaceFolder, config: TransformerConfig) throws -> [(String, GGUFValue)] {
        guard let url = folder.tokenizerURL else { return [("tokenizer.ggml.model", .string("no_vocab"))] }
        guard let data = FileManager.default.contents(atPath: url.path),
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let model = json["model"] as? [String: Any] else {
            throw ExportError.unsupportedTokenizer(detail: "\(url.path) is not a tokenizer.json object")
        }
        guard (model["type"] as? String ?? "BPE") == "BPE", let vocab = model["vocab"] as? [String: Any] else {
            throw ExportError.unsupportedTokenizer(detail: "\(url.path) is not a BPE tokenizer; only byte-level BPE converts to GGUF here")
        }
        let pre = try preTokenizerName(json["pre_tokenizer"], path: url.path)

        var byID: [Int: (text: String, type: Int32)] = [:]
        for (text, id) in vocab { if let id = (id as? NSNumber)?.intValue { byID[id] = (text, 1) } }
        for case let token as [String: Any] in json["added_tokens"] as? [Any] ?? [] {
            guard let id = (token["id"] as? NSNumber)?.intValue, let text = token["content"] as? String else { continue }
            byID[id] = (text, (token["special"] as? Bool ?? false) ? 3 : 4)
        }
        let count = max(config.vocabularySize, (byID.keys.max() ?? -1) + 1)
        var tokens: [GGUFValue] = [], types: [GGUFValue] = []
        for id in 0..<count {
            let entry = byID[id] ?? ("[PAD\(id)]", 5)
            tokens.append(.string(entry.text))
            types.append(.int32(entry.type))
        }
        var merges: [GGUFValue] = []
        for entry in model["merges"] as? [Any] ?? [] {
            if let text = entry as? String { merges.append(.string(text)) }
            else if let pair = entry as? [String], pair.count == 2 { merges.append(.string("\(pair[0]) \(pair[1])")) }
        }
        var entries: [(String, GGUFValue)] = [
            ("tokenizer.ggml.model", .string("gpt2")), ("tokenizer.ggml.pre", .string(pre)),
            ("tokenizer.ggml.tokens", .array(tokens)), ("tokenizer.ggml.token_type", .array(types)),
            ("tokenizer.ggml.merges", .array(merges)),
        ]
        let tokenizerConfig = try folder.tokenizerConfig()
        let ids = Dictionary(byID.map { ($0.value.text, $0.key) }, uniquingKeysWith: min)
        func id(_ token: String?) -> Int? { token.flatMap { ids[$0] } }
        let generation = try folder.generationConfig()
        let bos = id(tokenizerConfig?.bosToken) ?? generation?.bosTokenID ?? config.bosTokenID
        let eos = id(tokenizerConfig?.eosToken) ?? generation?.eosTokenIDs.first ?? config.eosTokenIDs.first
        for (key, value) in [("bos_token_id", bos), ("eos_token_id", eos),
                             ("unknown_token_id", id(tokenizerConfig?.unknownToken)),
                             ("padding_token_id", id(tokenizerConfig?.padToken) ?? generation?.padTokenID)] {
            if let value { entries.append(("tokenizer.ggml.\(key)", .uint32(UInt32(value)))) }
        }
        entries.append(("tokenizer.ggml.add_bos_token", .bool(tokenizerConfig?.addBosToken ?? false)))
        entries.append(("tokenizer.ggml.add_space_prefix", .bool(false)))
        if let template = tokenizerConfig?.chatTemplate { entries.append(("tokenizer.chat_template", .string(template))) }
        return entries
    }

    /// llama.cpp's `tokenizer.ggml.pre` for a tokenizer.json pre-tokenizer.
    static func preTokenizerName(_ preTokenizer: Any?, path: String) throws -> String {
        let object = preTokenizer as? [String: Any] ?? [:]
        let steps = (object["type"] as? String == "Sequence" ? object["pretokenizers"] as? [[String: Any]] : [object]) ?? []
        let types = steps.compactMap { $0["type"] as? String }
        if types == ["ByteLevel"] { return "gpt-2" }
        if types == ["Digits", "ByteLevel"], steps[0]["individual_digits"] as? Bool == true { return "smollm" }
        if types.first == "Split", let pattern = (steps[0]["pattern"] as? [String: Any])?["Regex"] as? String {
            if pattern.contains("\\p{N}{1,3}") { return "llama-bpe" }
            if pattern.contains("[^\\r\\n\\p{L}\\p{N}]?\\p{L}+") { return "qwen2" }
        }
        throw ExportError.unsupportedTokenizer(
            detail: "\(path) uses the pre-tokenizer \(types) that has no llama.cpp equivalent here (supported: SmolLM2, GPT-2, Llama 3, Qwen2)")
    }
}
