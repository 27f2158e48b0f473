import Foundation
import Tensor

/// tokenizer.json, tokenizer_config.json and generation_config.json for a model whose tokenizer
/// lives in GGUF metadata (`tokenizer.ggml.*`, byte-level BPE), in the form transformers and our
/// own loader read.
enum HuggingFaceTokenizerFiles {
    static let llama3Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let qwen2Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The three files' JSON objects by file name; empty when the GGUF has no vocabulary.
    static func files(gguf: GGUFFile, config: TransformerConfig) throws -> [String: Any] {
        let metadata = gguf.metadata
        let model = metadata["tokenizer.ggml.model"]?.string ?? "no_vocab"
        guard model != "no_vocab", model != "none" else { return [:] }
        guard model == "gpt2" else {
            throw ExportError.unsupportedTokenizer(
                detail: "\(gguf.path) has a '\(model)' tokenizer; only byte-level BPE ('gpt2') tokenizers are written as tokenizer.json here")
        }
        guard let tokens = metadata["tokenizer.ggml.tokens"]?.stringArray else {
            throw ExportError.unsupportedTokenizer(detail: "\(gguf.path) has no tokenizer.ggml.tokens")
        }
        let types = metadata["tokenizer.ggml.token_type"]?.array?.map { $0.int ?? 1 } ?? []
        let merges = metadata["tokenizer.ggml.merges"]?.stringArray ?? []
        let pre = metadata["tokenizer.ggml.pre"]?.string ?? "default"

        var vocab: [String: Int] = [:]
        var added: [[String: Any]] = []
        var addedDecoder: [String: Any] = [:]
        for (id, text) in tokens.enumerated() {
            if vocab[text] == nil { vocab[text] = id }
            let type = id < types.count ? types[id] : 1
            guard type == 3 || type == 4 else { continue }
            let entry: [String: Any] = ["id": id, "content": text, "single_word": false, "lstrip": false,
                                        "rstrip": false, "normalized": false, "special": type == 3]
            added.append(entry)
            var decoderEntry = entry
            decoderEntry.removeValue(forKey: "id")
            addedDecoder[String(id)] = decoderEntry
        }

        let byteLevel: [String: Any] = ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true]
        var rawByteLevel = byteLevel
        rawByteLevel["use_regex"] = false
        func split(_ pattern: String) -> [String: Any] {
            ["type": "Split", "pattern": ["Regex": pattern] as [String: Any], "behavior": "Isolated", "invert": false]
        }
        let preTokenizer: [String: Any]
        var normalizer: Any = NSNull()
        var ignoreMerges = false
        switch pre {
        case "smollm", "starcoder", "refact", "command-r":
            let digits: [String: Any] = ["type": "Digits", "individual_digits": true]
            preTokenizer = ["type": "Sequence", "pretokenizers": [digits, byteLevel] as [Any]]
        case "gpt-2", "gpt2", "default", "phi-2":
            preTokenizer = byteLevel
        case "llama-bpe", "llama3", "llama-v3", "falcon3":
            preTokenizer = ["type": "Sequence", "pretokenizers": [split(llama3Pattern), rawByteLevel] as [Any]]
            ignoreMerges = true
        case "qwen2":
            preTokenizer = ["type": "Sequence", "pretokenizers": [split(qwen2Pattern), rawByteLevel] as [Any]]
            normalizer = ["type": "NFC"] as [String: Any]
        default:
            throw ExportError.unsupportedTokenizer(
                detail: "\(gguf.path) uses the pre-tokenizer '\(pre)'; supported: smollm, gpt-2, llama-bpe, qwen2")
        }
        let tokenizer: [String: Any] = [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": added,
            "normalizer": normalizer, "pre_tokenizer": preTokenizer,
            "post_processor": ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true] as [String: Any],
            "decoder": ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true] as [String: Any],
            "model": ["type": "BPE", "dropout": NSNull(), "unk_token": NSNull(), "continuing_subword_prefix": "",
                      "end_of_word_suffix": "", "fuse_unk": false, "byte_fallback": false,
                      "ignore_merges": ignoreMerges, "vocab": vocab, "merges": merges] as [String: Any],
        ]

        func token(_ key: String) -> String? {
            guard let id = metadata["tokenizer.ggml.\(key)"]?.int, tokens.indices.contains(id) else { return nil }
            return tokens[id]
        }
        var tokenizerConfig: [String: Any] = [
            "tokenizer_class": "PreTrainedTokenizerFast", "added_tokens_decoder": addedDecoder,
            "add_bos_token": metadata["tokenizer.ggml.add_bos_token"]?.bool ?? false,
            "add_eos_token": metadata["tokenizer.ggml.add_eos_token"]?.bool ?? false,
            "clean_up_tokenization_spaces": false, "model_max_length": config.maxPositions,
        ]
        for (key, name) in [("bos_token", "bos_token_id"), ("eos_token", "eos_token_id"),
                            ("unk_token", "unknown_token_id"), ("pad_token", "padding_token_id")] {
            if let text = token(name) { tokenizerConfig[key] = text }
        }
        if let template = metadata["tokenizer.chat_template"]?.string { tokenizerConfig["chat_template"] = template }

        var generation: [String: Any] = ["_from_model_config": true]
        for (key, name) in [("bos_token_id", "bos_token_id"), ("eos_token_id", "eos_token_id"), ("pad_token_id", "padding_token_id")] {
            if let id = metadata["tokenizer.ggml.\(name)"]?.int { generation[key] = id }
        }
        return [HuggingFaceFolder.tokenizerFile: tokenizer, HuggingFaceFolder.tokenizerConfigFile: tokenizerConfig,
                HuggingFaceFolder.generationConfigFile: generation]
    }
}
