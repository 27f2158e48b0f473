import Tensor

/// Builds a tokenizer from a GGUF file's `tokenizer.ggml.*` metadata, with the same stages
/// the tokenizer.json path uses.
enum GGUFTokenizerBuilder {
    /// `tokenizer.ggml.pre` values understood, grouped by the split they select.
    static let gpt2Family = ["gpt-2", "gpt2", "phi-2", "mpt", "olmo"]
    static let smollmFamily = ["smollm", "starcoder", "refact", "command-r"]
    static let llama3Family = ["llama3", "llama-bpe", "llama-v3", "falcon3", "falcon-h1"]
    static let qwen2Family = ["qwen2", "deepseek-r1-qwen"]
    /// Llama 3's split, but merges always applied (as llama.cpp does for these).
    static let cl100kFamily = ["dbrx", "smaug-bpe"]
    /// Splits with no hand-written matcher yet, run through `NSRegularExpression`.
    static let regexSplits = ["gpt-4o": KnownPatterns.gpt4o, "tekken": KnownPatterns.tekken]
    static var supportedPreTokenizers: [String] {
        smollmFamily + gpt2Family + llama3Family + qwen2Family + cl100kFamily + regexSplits.keys.sorted()
    }

    /// GGUF token types.
    enum TokenType: Int {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    static func build(_ file: GGUFFile) throws -> PreTrainedTokenizer {
        let metadata = file.metadata
        let source = file.path
        guard let modelName = metadata["tokenizer.ggml.model"]?.string, modelName != "no_vocab" else {
            throw TokenizerError.noVocabulary(path: source)
        }
        guard let tokens = metadata["tokenizer.ggml.tokens"]?.stringArray else {
            throw TokenizerError.missingField("tokenizer.ggml.tokens", in: source)
        }
        let types = metadata["tokenizer.ggml.token_type"]?.intArray
            ?? Array(repeating: TokenType.normal.rawValue, count: tokens.count)
        guard types.count == tokens.count else {
            throw TokenizerError.inconsistentMetadata(
                "\(tokens.count) tokens but \(types.count) token types in \(source)")
        }
        func id(_ key: String) -> Int? {
            guard let value = metadata["tokenizer.ggml.\(key)"]?.int, tokens.indices.contains(value) else { return nil }
            return value
        }
        let bos = id("bos_token_id"), eos = id("eos_token_id")
        let unknown = id("unknown_token_id"), pad = id("padding_token_id")

        // Control, user-defined and unknown tokens are matched in the raw text first.
        var added = [AddedToken]()
        for (index, type) in types.enumerated() {
            switch TokenType(rawValue: type) {
            case .control, .unknown:
                added.append(AddedToken(content: tokens[index], id: index, isSpecial: true))
            case .userDefined:
                added.append(AddedToken(content: tokens[index], id: index, isSpecial: false))
            default:
                break
            }
        }

        let model: TokenizingModel
        let normalizer: Normalizer?
        let preTokenizer: PreTokenizer?
        let decoder: TokenDecoder
        var addsBOS: Bool
        switch modelName {
        case "gpt2":
            guard let mergeStrings = metadata["tokenizer.ggml.merges"]?.stringArray else {
                throw TokenizerError.missingField("tokenizer.ggml.merges", in: source)
            }
            let pre = metadata["tokenizer.ggml.pre"]?.string ?? "gpt-2"
            let (split, ignoreMerges) = try preTokenizerFor(pre)
            model = BPEModel(tokens: tokens, merges: mergeStrings.compactMap(splitMerge), alphabet: .bytes,
                             unknownID: unknown, ignoreMerges: ignoreMerges)
            normalizer = nil
            preTokenizer = split
            decoder = ByteLevelDecoder()
            addsBOS = llama3Family.contains(pre)
        case "llama":
            let scores = metadata["tokenizer.ggml.scores"]?.floatArray ?? []
            let addSpacePrefix = metadata["tokenizer.ggml.add_space_prefix"]?.bool ?? true
            model = BPEModel(tokens: tokens, scores: scores, byteFallback: true, unknownID: unknown)
            let replace = ReplaceNormalizer(pattern: " ", content: "▁")
            normalizer = addSpacePrefix
                ? NormalizerSequence(normalizers: [PrependNormalizer(prefix: "▁"), replace])
                : replace
            preTokenizer = nil
            var steps: [TokenDecoder] = [ReplaceDecoder(pattern: "▁", content: " "), ByteFallbackDecoder(), FuseDecoder()]
            if addSpacePrefix { steps.append(StripDecoder(content: " ", start: 1, stop: 0)) }
            decoder = DecoderSequence(decoders: steps)
            addsBOS = true
        default:
            throw TokenizerError.unsupportedModel(modelName)
        }

        addsBOS = metadata["tokenizer.ggml.add_bos_token"]?.bool ?? addsBOS
        let addsEOS = metadata["tokenizer.ggml.add_eos_token"]?.bool ?? false
        var prefix = [Int](), suffix = [Int]()
        if addsBOS, let bos { prefix.append(bos) }
        if addsEOS, let eos { suffix.append(eos) }
        let postProcessor = prefix.isEmpty && suffix.isEmpty ? nil : TemplatePostProcessor(prefix: prefix, suffix: suffix)

        return PreTrainedTokenizer(
            addedTokens: added, normalizer: normalizer, preTokenizer: preTokenizer, model: model,
            postProcessor: postProcessor, decoder: decoder,
            bosTokenID: bos, eosTokenID: eos, padTokenID: pad, unknownTokenID: unknown)
    }

    /// The split for a `tokenizer.ggml.pre` value, and whether whole-word vocabulary hits skip merges.
    static func preTokenizerFor(_ pre: String) throws -> (PreTokenizer, ignoresMerges: Bool) {
        if smollmFamily.contains(pre) {
            return (SplittingPreTokenizer(steps: [
                SplitStep(pattern: DigitsPattern(individualDigits: true), behavior: .isolated),
                SplitStep(pattern: GPT2Pattern(), behavior: .isolated),
            ]), false)
        }
        if gpt2Family.contains(pre) { return (SplittingPreTokenizer.gpt2, false) }
        if llama3Family.contains(pre) {
            return (SplittingPreTokenizer(steps: [SplitStep(pattern: Llama3Pattern(maxDigits: 3), behavior: .isolated)]), true)
        }
        if qwen2Family.contains(pre) {
            return (SplittingPreTokenizer(steps: [SplitStep(pattern: Llama3Pattern(maxDigits: 1), behavior: .isolated)]), false)
        }
        if cl100kFamily.contains(pre) {
            return (SplittingPreTokenizer(steps: [SplitStep(pattern: Llama3Pattern(maxDigits: 3), behavior: .isolated)]), false)
        }
        if let regex = regexSplits[pre] {
            return (SplittingPreTokenizer(steps: [SplitStep(pattern: try RegexPattern(regex), behavior: .isolated)]), false)
        }
        throw TokenizerError.unsupportedPreTokenizer(pre)
    }

    /// `"left right"`, split at the first space after position 0.
    static func splitMerge(_ merge: String) -> (String, String)? {
        let scalars = Array(merge.unicodeScalars)
        guard scalars.count >= 3, let cut = scalars.indices.dropFirst().first(where: { scalars[$0] == " " }) else {
            return nil
        }
        return (String(String.UnicodeScalarView(scalars[..<cut])),
                String(String.UnicodeScalarView(scalars[(cut + 1)...])))
    }
}
