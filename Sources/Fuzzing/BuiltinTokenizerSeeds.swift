import Foundation

/// Small, complete tokenizer.json seeds (a few KB each, against the fixtures' 7–16 KB and a real
/// model's 2–10 MB), between them using every normalizer, pre-tokenizer, model, post-processor and
/// decoder type `TokenizerJSONBuilder` reads, with string and pair merges, byte fallback and
/// added tokens of every flag. Tokenizer construction is most of an input's cost, so small seeds
/// are fast without reaching less: each stage type is built and run on the sample texts.
enum BuiltinTokenizerSeeds {
    typealias JSON = [String: Any]

    static func all() -> [(name: String, bytes: [UInt8])] {
        [("builtin byte-level BPE", byteLevelBPE()), ("builtin sentencepiece BPE", sentencePieceBPE()),
         ("builtin WordPiece", wordPiece()), ("builtin Metaspace BPE", metaspaceBPE())]
            .compactMap { name, json in
                (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])).map { (name, [UInt8]($0)) }
            }
    }

    static let specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<unk>", "<s>", "</s>", "[CLS]", "[SEP]", "[PAD]", "[UNK]"]

    /// Specials, then single characters, then the merged tokens, ids in that order.
    static func vocabulary(_ characters: [String], merged: [String]) -> [String: Int] {
        var vocab: [String: Int] = [:]
        for token in specials + characters + merged where vocab[token] == nil { vocab[token] = vocab.count }
        return vocab
    }

    static func addedTokens(_ vocab: [String: Int]) -> [JSON] {
        var tokens: [JSON] = specials.compactMap { name in
            vocab[name].map { ["id": $0, "content": name, "special": true, "lstrip": false, "rstrip": name == "<|im_end|>",
                               "normalized": false, "single_word": false] }
        }
        tokens.append(["id": vocab.count, "content": " wörld", "special": false, "lstrip": true, "rstrip": false,
                       "normalized": true, "single_word": false])
        return tokens
    }

    static let letters = (Array("abcdefghijklmnopqrstuvwxyz") + Array("HW0123456789.,!?'-_<>|")).map(String.init)

    static func byteLevelBPE() -> JSON {
        let characters = letters + ["Ġ", "Ċ", "ĉ", "Ã", "¶", "ð", "Ł", "Ļ", "Ĥ"]
        let merges = [("Ġ", "w"), ("h", "e"), ("l", "l"), ("he", "ll"), ("hell", "o"), ("Ġw", "o"), ("r", "l"), ("Ġwo", "rl"), ("Ġworl", "d"), ("H", "e")]
        let vocab = vocabulary(characters, merged: merges.map { $0.0 + $0.1 })
        return [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": addedTokens(vocab),
            "normalizer": ["type": "NFC"],
            "pre_tokenizer": ["type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#],
                 "behavior": "Isolated", "invert": false],
                ["type": "Digits", "individual_digits": true],
                ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false],
            ] as [Any]],
            "post_processor": ["type": "Sequence", "processors": [
                ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true],
                ["type": "TemplateProcessing",
                 "single": [["SpecialToken": ["id": "<|endoftext|>", "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]]],
                 "pair": [] as [Any], "special_tokens": ["<|endoftext|>": ["id": "<|endoftext|>", "ids": [0], "tokens": ["<|endoftext|>"]]]],
            ] as [Any]],
            "decoder": ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true],
            "model": ["type": "BPE", "dropout": NSNull(), "unk_token": NSNull(), "continuing_subword_prefix": "",
                      "end_of_word_suffix": "", "fuse_unk": false, "byte_fallback": false, "ignore_merges": true,
                      "vocab": vocab,
                      "merges": merges.enumerated().map { $0.offset % 2 == 0 ? "\($0.element.0) \($0.element.1)" as Any : [$0.element.0, $0.element.1] }],
        ]
    }

    static func sentencePieceBPE() -> JSON {
        let bytes = (0..<256).filter { $0 < 0x20 || $0 >= 0x7F }.prefix(40).map { String(format: "<0x%02X>", $0) }
        let characters = ["▁"] + letters + ["ö", "é", "東", "京"] + bytes + ["<0xF0>", "<0x9F>", "<0x99>", "<0x82>"]
        let merges = [("▁", "H"), ("e", "l"), ("el", "l"), ("▁H", "ell"), ("▁Hell", "o"), ("▁", "w"), ("▁w", "o")]
        let vocab = vocabulary(characters, merged: merges.map { $0.0 + $0.1 })
        return [
            "version": "1.0", "added_tokens": addedTokens(vocab),
            "normalizer": ["type": "Sequence", "normalizers": [
                ["type": "Prepend", "prepend": "▁"], ["type": "Replace", "pattern": ["String": " "], "content": "▁"],
            ] as [Any]],
            "pre_tokenizer": NSNull(),
            "post_processor": ["type": "TemplateProcessing",
                               "single": [["SpecialToken": ["id": "<s>", "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]],
                                          ["SpecialToken": ["id": "</s>", "type_id": 0]]],
                               "special_tokens": ["<s>": ["id": "<s>", "ids": [vocab["<s>"] ?? 4], "tokens": ["<s>"]]]],
            "decoder": ["type": "Sequence", "decoders": [
                ["type": "Replace", "pattern": ["String": "▁"], "content": " "], ["type": "ByteFallback"], ["type": "Fuse"],
                ["type": "Strip", "content": " ", "start": 1, "stop": 0],
            ] as [Any]],
            "model": ["type": "BPE", "unk_token": "<unk>", "fuse_unk": true, "byte_fallback": true, "ignore_merges": false,
                      "vocab": vocab, "merges": merges.map { "\($0.0) \($0.1)" }],
        ]
    }

    static func wordPiece() -> JSON {
        let words = ["hello", "world", "hi", "there", "na", "##ive", "##s", "cafe", "##llo", "he", "im", "_", "start", "end"]
        let vocab = vocabulary(letters + letters.map { "##" + $0 }, merged: words)
        return [
            "version": "1.0", "added_tokens": addedTokens(vocab),
            "normalizer": ["type": "Sequence", "normalizers": [
                ["type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": NSNull(), "lowercase": true],
                ["type": "NFD"], ["type": "StripAccents"], ["type": "Lowercase"], ["type": "NFKC"], ["type": "NFKD"],
                ["type": "Strip", "strip_left": true, "strip_right": true],
            ] as [Any]],
            "pre_tokenizer": ["type": "Sequence", "pretokenizers": [
                ["type": "BertPreTokenizer"], ["type": "WhitespaceSplit"], ["type": "Whitespace"],
                ["type": "Punctuation", "behavior": "Isolated"], ["type": "Split", "pattern": ["String": "|"], "behavior": "Removed", "invert": false],
            ] as [Any]],
            "post_processor": ["type": "BertProcessing", "sep": ["[SEP]", vocab["[SEP]"] ?? 7], "cls": ["[CLS]", vocab["[CLS]"] ?? 6]],
            "decoder": ["type": "WordPiece", "prefix": "##", "cleanup": true],
            "model": ["type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
                      "vocab": vocab],
        ]
    }

    static func metaspaceBPE() -> JSON {
        let characters = ["▁"] + letters + ["</w>"]
        let merges = [("h", "e"), ("▁", "he"), ("l", "l"), ("▁he", "ll"), ("o", "</w>")]
        let vocab = vocabulary(characters, merged: merges.map { $0.0 + $0.1 })
        return [
            "version": "1.0", "added_tokens": addedTokens(vocab),
            "normalizer": NSNull(),
            "pre_tokenizer": ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true],
            "post_processor": ["type": "RobertaProcessing", "sep": ["</s>", vocab["</s>"] ?? 5], "cls": ["<s>", vocab["<s>"] ?? 4],
                               "trim_offsets": true, "add_prefix_space": true],
            "decoder": ["type": "Sequence", "decoders": [
                ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true],
                ["type": "BPEDecoder", "suffix": "</w>"],
            ] as [Any]],
            "model": ["type": "BPE", "unk_token": "<unk>", "vocab": vocab, "merges": merges.map { [$0.0, $0.1] }],
        ]
    }
}
