import Foundation

/// Builds a tokenizer from Hugging Face `tokenizer.json` (plus `tokenizer_config.json` for the
/// BOS/EOS/PAD names). Each stage comes from a small factory keyed by its `type` field.
enum TokenizerJSONBuilder {
    typealias JSON = [String: Any]

    static func build(tokenizer json: JSON, config: JSON?, source: String) throws -> PreTrainedTokenizer {
        guard let modelJSON = json["model"] as? JSON else { throw TokenizerError.missingField("model", in: source) }
        let normalizer = try makeNormalizer(json["normalizer"], source: source)
        let preTokenizer = try makePreTokenizer(json["pre_tokenizer"], source: source)
        let decoder = try makeDecoder(json["decoder"], source: source)
        let byteLevel = containsType("ByteLevel", json["pre_tokenizer"]) || containsType("ByteLevel", json["decoder"])
        let model = try makeModel(modelJSON, byteLevel: byteLevel, source: source)

        var added = [AddedToken]()
        for entry in json["added_tokens"] as? [JSON] ?? [] {
            guard let content = entry["content"] as? String, let id = entry["id"] as? Int else { continue }
            try checkTokenID(id, token: content, vocabularyCount: model.vocabularySize, field: "added_tokens", source: source)
            added.append(AddedToken(
                content: content, id: id, isSpecial: entry["special"] as? Bool ?? false,
                stripsLeft: entry["lstrip"] as? Bool ?? false, stripsRight: entry["rstrip"] as? Bool ?? false,
                isNormalized: entry["normalized"] as? Bool ?? false))
        }
        let lookup: (String) -> Int? = { token in
            added.first(where: { $0.content == token })?.id ?? model.id(for: token)
        }
        var postProcessor = try makePostProcessor(json["post_processor"], lookup: lookup, source: source)

        func special(_ key: String) -> Int? {
            let value = config?[key]
            if let name = value as? String { return lookup(name) }
            if let object = value as? JSON, let name = object["content"] as? String { return lookup(name) }
            return nil
        }
        postProcessor = applyingBOSAndEOSFlags(of: config, to: postProcessor,
                                               bos: special("bos_token"), eos: special("eos_token"))
        let unknownName = modelJSON["unk_token"] as? String
        return PreTrainedTokenizer(
            addedTokens: added, normalizer: normalizer, preTokenizer: preTokenizer, model: model,
            postProcessor: postProcessor, decoder: decoder,
            bosTokenID: special("bos_token"), eosTokenID: special("eos_token"),
            padTokenID: special("pad_token"),
            unknownTokenID: special("unk_token") ?? unknownName.flatMap(lookup))
    }

    /// tokenizer_config.json's `add_bos_token` / `add_eos_token`, when written, decide whether
    /// BOS/EOS frame an encoded text, as transformers' Llama and Gemma tokenizers rebuild their
    /// post-processor from them. Only a post-processor that adds nothing but BOS/EOS is
    /// replaced (BERT's `[CLS]…[SEP]` framing stays as tokenizer.json says).
    static func applyingBOSAndEOSFlags(of config: JSON?, to processor: PostProcessor?, bos: Int?, eos: Int?) -> PostProcessor? {
        let addBOS = config?["add_bos_token"] as? Bool, addEOS = config?["add_eos_token"] as? Bool
        guard addBOS != nil || addEOS != nil else { return processor }
        let framing = processor?.process([]) ?? []
        guard framing.allSatisfy({ $0 == bos || $0 == eos }) else { return processor }
        let prefix = (addBOS ?? (framing.first == bos && bos != nil)) ? bos.map { [$0] } ?? [] : []
        let suffix = (addEOS ?? (framing.last == eos && eos != nil && framing.count > prefix.count)) ? eos.map { [$0] } ?? [] : []
        return prefix.isEmpty && suffix.isEmpty ? nil : TemplatePostProcessor(prefix: prefix, suffix: suffix)
    }

    private static func containsType(_ type: String, _ json: Any?) -> Bool {
        guard let object = json as? JSON else { return false }
        if object["type"] as? String == type { return true }
        let children = (object["pretokenizers"] as? [Any] ?? []) + (object["decoders"] as? [Any] ?? [])
        return children.contains { containsType(type, $0) }
    }

    // MARK: Normalizers

    static func makeNormalizer(_ json: Any?, source: String) throws -> Normalizer? {
        guard let object = json as? JSON, let type = object["type"] as? String else { return nil }
        switch type {
        case "Sequence":
            let children = try (object["normalizers"] as? [Any] ?? []).compactMap { try makeNormalizer($0, source: source) }
            return NormalizerSequence(normalizers: children)
        case "BertNormalizer":
            return BertNormalizer(cleanText: object["clean_text"] as? Bool ?? true,
                                  handleChineseCharacters: object["handle_chinese_chars"] as? Bool ?? true,
                                  stripAccents: object["strip_accents"] as? Bool,
                                  lowercase: object["lowercase"] as? Bool ?? true)
        case "Lowercase": return LowercaseNormalizer()
        case "NFC": return UnicodeNormalizer(form: .nfc)
        case "NFD": return UnicodeNormalizer(form: .nfd)
        case "NFKC": return UnicodeNormalizer(form: .nfkc)
        case "NFKD": return UnicodeNormalizer(form: .nfkd)
        case "StripAccents": return StripAccentsNormalizer()
        case "Strip":
            return StripNormalizer(left: object["strip_left"] as? Bool ?? true, right: object["strip_right"] as? Bool ?? true)
        case "Prepend":
            guard let prefix = object["prepend"] as? String else { throw TokenizerError.missingField("normalizer.prepend", in: source) }
            return PrependNormalizer(prefix: prefix)
        case "Replace":
            guard let pattern = object["pattern"] as? JSON, let literal = pattern["String"] as? String,
                  let content = object["content"] as? String else {
                throw TokenizerError.unsupportedComponent(kind: "normalizer", type: "Replace with a regex")
            }
            return ReplaceNormalizer(pattern: literal, content: content)
        default:
            throw TokenizerError.unsupportedComponent(kind: "normalizer", type: type)
        }
    }

    // MARK: Pre-tokenizers

    static func makePreTokenizer(_ json: Any?, source: String) throws -> PreTokenizer? {
        guard let object = json as? JSON, let type = object["type"] as? String else { return nil }
        switch type {
        case "Sequence":
            let children = try (object["pretokenizers"] as? [Any] ?? []).compactMap { try makePreTokenizer($0, source: source) }
            return PreTokenizerSequence.fused(children)
        case "ByteLevel":
            let split = (object["use_regex"] as? Bool ?? true) ? SplittingPreTokenizer.gpt2 : SplittingPreTokenizer(steps: [])
            return (object["add_prefix_space"] as? Bool ?? false) ? PrefixSpacePreTokenizer(then: split) : split
        case "Split":
            guard let patternJSON = object["pattern"] as? JSON else { throw TokenizerError.missingField("pre_tokenizer.pattern", in: source) }
            let pattern: TextPattern
            if let literal = patternJSON["String"] as? String {
                pattern = LiteralPattern(literal)
            } else if let regex = patternJSON["Regex"] as? String {
                pattern = try KnownPatterns.pattern(for: regex)
            } else {
                throw TokenizerError.missingField("pre_tokenizer.pattern", in: source)
            }
            let behavior = try splitBehavior(object["behavior"], source: source)
            return SplittingPreTokenizer(steps: [SplitStep(pattern: pattern, behavior: behavior,
                                                           invert: object["invert"] as? Bool ?? false)])
        case "Digits":
            let individual = object["individual_digits"] as? Bool ?? false
            return SplittingPreTokenizer(steps: [SplitStep(pattern: DigitsPattern(individualDigits: individual), behavior: .isolated)])
        case "Punctuation":
            let behavior = try splitBehavior(object["behavior"] ?? "Isolated", source: source)
            return SplittingPreTokenizer(steps: [SplitStep(pattern: ScalarPredicatePattern.punctuation, behavior: behavior)])
        case "BertPreTokenizer": return SplittingPreTokenizer.bert
        case "WhitespaceSplit": return SplittingPreTokenizer.whitespaceSplit
        case "Whitespace":
            return SplittingPreTokenizer(steps: [SplitStep(pattern: try RegexPattern(#"\w+|[^\w\s]+"#),
                                                           behavior: .removed, invert: true)])
        case "Metaspace":
            return MetaspacePreTokenizer(replacement: metaspaceReplacement(object),
                                         prependScheme: metaspacePrependScheme(object),
                                         split: object["split"] as? Bool ?? true)
        default:
            throw TokenizerError.unsupportedComponent(kind: "pre-tokenizer", type: type)
        }
    }

    private static func splitBehavior(_ json: Any?, source: String) throws -> SplitBehavior {
        guard let name = json as? String, let behavior = SplitBehavior(rawValue: name) else {
            throw TokenizerError.missingField("pre_tokenizer.behavior", in: source)
        }
        return behavior
    }

    private static func metaspaceReplacement(_ object: JSON) -> Unicode.Scalar {
        (object["replacement"] as? String)?.unicodeScalars.first ?? "▁"
    }

    private static func metaspacePrependScheme(_ object: JSON) -> MetaspacePreTokenizer.PrependScheme {
        if let name = object["prepend_scheme"] as? String, let scheme = MetaspacePreTokenizer.PrependScheme(rawValue: name) {
            return scheme
        }
        return (object["add_prefix_space"] as? Bool ?? true) ? .always : .never
    }

    /// Ids may leave gaps, but not so many that the id tables (sized by the largest id) dwarf
    /// the vocabulary: one id of 2^32 in a 300-token file asked for 64 GB.
    static let idSlack = 1 << 16

    static func checkTokenID(_ id: Int, token: String, vocabularyCount: Int, field: String, source: String) throws {
        guard id >= 0, id < vocabularyCount + idSlack else {
            throw TokenizerError.inconsistentMetadata(
                "\(source): \(field) gives token '\(token.prefix(40))' the id \(id); expected 0..<\(vocabularyCount + idSlack) for \(vocabularyCount) tokens")
        }
    }

    // MARK: Models

    static func makeModel(_ object: JSON, byteLevel: Bool, source: String) throws -> TokenizingModel {
        guard let vocab = object["vocab"] as? [String: Int] else {
            if object["vocab"] is [Any] { throw TokenizerError.unsupportedComponent(kind: "model", type: "Unigram") }
            throw TokenizerError.missingField("model.vocab", in: source)
        }
        let type = object["type"] as? String ?? (object["merges"] != nil ? "BPE" : "WordPiece")
        for (token, id) in vocab { try checkTokenID(id, token: token, vocabularyCount: vocab.count, field: "model.vocab", source: source) }
        var tokens = [String](repeating: "", count: (vocab.values.max() ?? -1) + 1)
        for (token, id) in vocab where id >= 0 { tokens[id] = token }
        let unknownID = (object["unk_token"] as? String).flatMap { vocab[$0] }

        switch type {
        case "BPE":
            for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
                if let value = object[key] as? String, !value.isEmpty {
                    throw TokenizerError.unsupportedComponent(kind: "BPE option", type: key)
                }
            }
            var merges = [(String, String)]()
            for entry in object["merges"] as? [Any] ?? [] {
                if let text = entry as? String, let pair = GGUFTokenizerBuilder.splitMerge(text) {
                    merges.append(pair)
                } else if let pair = entry as? [String], pair.count == 2 {
                    merges.append((pair[0], pair[1]))
                }
            }
            return BPEModel(tokens: tokens, merges: merges, alphabet: byteLevel ? .bytes : .characters,
                            byteFallback: object["byte_fallback"] as? Bool ?? false, unknownID: unknownID,
                            fuseUnknown: object["fuse_unk"] as? Bool ?? false,
                            ignoreMerges: object["ignore_merges"] as? Bool ?? false)
        case "WordPiece":
            guard let unknownID else { throw TokenizerError.missingField("model.unk_token", in: source) }
            return WordPieceModel(tokens: tokens, unknownID: unknownID,
                                  continuingSubwordPrefix: object["continuing_subword_prefix"] as? String ?? "##",
                                  maxInputCharactersPerWord: object["max_input_chars_per_word"] as? Int ?? 100)
        default:
            throw TokenizerError.unsupportedComponent(kind: "model", type: type)
        }
    }

    // MARK: Post-processors

    static func makePostProcessor(_ json: Any?, lookup: (String) -> Int?, source: String) throws -> PostProcessor? {
        guard let object = json as? JSON, let type = object["type"] as? String else { return nil }
        switch type {
        case "TemplateProcessing":
            let specials = object["special_tokens"] as? JSON ?? [:]
            var prefix = [Int](), suffix = [Int](), seenSequence = false
            for item in object["single"] as? [JSON] ?? [] {
                if item["Sequence"] != nil {
                    seenSequence = true
                } else if let special = item["SpecialToken"] as? JSON, let name = special["id"] as? String {
                    let ids = (specials[name] as? JSON)?["ids"] as? [Int] ?? lookup(name).map { [$0] } ?? []
                    if seenSequence { suffix += ids } else { prefix += ids }
                }
            }
            return TemplatePostProcessor(prefix: prefix, suffix: suffix)
        case "BertProcessing", "RobertaProcessing":
            guard let cls = object["cls"] as? [Any], let sep = object["sep"] as? [Any],
                  let clsID = cls.last as? Int, let sepID = sep.last as? Int else {
                throw TokenizerError.missingField("post_processor.cls/sep", in: source)
            }
            return TemplatePostProcessor(prefix: [clsID], suffix: [sepID])
        case "ByteLevel":
            return nil
        case "Sequence":
            let children = try (object["processors"] as? [Any] ?? []).compactMap {
                try makePostProcessor($0, lookup: lookup, source: source)
            }
            return PostProcessorSequence(processors: children)
        default:
            throw TokenizerError.unsupportedComponent(kind: "post-processor", type: type)
        }
    }

    // MARK: Decoders

    static func makeDecoder(_ json: Any?, source: String) throws -> TokenDecoder? {
        guard let object = json as? JSON, let type = object["type"] as? String else { return nil }
        switch type {
        case "Sequence":
            let children = try (object["decoders"] as? [Any] ?? []).compactMap { try makeDecoder($0, source: source) }
            return DecoderSequence(decoders: children)
        case "ByteLevel": return ByteLevelDecoder()
        case "Metaspace":
            return MetaspaceDecoder(replacement: metaspaceReplacement(object), stripsFirst: metaspacePrependScheme(object) != .never)
        case "WordPiece":
            return WordPieceDecoder(prefix: object["prefix"] as? String ?? "##", cleanup: object["cleanup"] as? Bool ?? true)
        case "ByteFallback": return ByteFallbackDecoder()
        case "Fuse": return FuseDecoder()
        case "Strip":
            guard let content = (object["content"] as? String)?.unicodeScalars.first else {
                throw TokenizerError.missingField("decoder.content", in: source)
            }
            return StripDecoder(content: content, start: object["start"] as? Int ?? 0, stop: object["stop"] as? Int ?? 0)
        case "Replace":
            guard let pattern = object["pattern"] as? JSON, let literal = pattern["String"] as? String,
                  let content = object["content"] as? String else {
                throw TokenizerError.unsupportedComponent(kind: "decoder", type: "Replace with a regex")
            }
            return ReplaceDecoder(pattern: literal, content: content)
        case "BPEDecoder":
            return BPESuffixDecoder(suffix: object["suffix"] as? String ?? "</w>")
        default:
            throw TokenizerError.unsupportedComponent(kind: "decoder", type: type)
        }
    }
}
