/// A tokenizer assembled from pipeline stages, the way tokenizer.json describes it:
/// added tokens → normalizer → pre-tokenizer → model → post-processor, and a decoder.
/// Built by `Tokenizers.load(…)` from a GGUF file or a Hugging Face folder.
public final class PreTrainedTokenizer: Tokenizer, @unchecked Sendable {
    public let addedTokens: [AddedToken]
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let model: TokenizingModel
    let postProcessor: PostProcessor?
    let decoder: TokenDecoder?

    public let bosTokenID: Int?
    public let eosTokenID: Int?
    public let padTokenID: Int?
    public let unknownTokenID: Int?
    public let specialTokenIDs: Set<Int>
    public let specialTokens: Set<String>
    public let vocabularySize: Int

    private let rawMatcher: AddedTokenMatcher
    private let normalizedMatcher: AddedTokenMatcher
    /// Added-token spellings by id (the model's own vocabulary spells the other ids).
    private let addedTokenText: [Int: String]
    private let addedTokenID: [[UInt8]: Int]

    init(addedTokens: [AddedToken], normalizer: Normalizer?, preTokenizer: PreTokenizer?,
         model: TokenizingModel, postProcessor: PostProcessor?, decoder: TokenDecoder?,
         bosTokenID: Int?, eosTokenID: Int?, padTokenID: Int?, unknownTokenID: Int?) {
        self.addedTokens = addedTokens
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.postProcessor = postProcessor
        self.decoder = decoder
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.padTokenID = padTokenID
        self.unknownTokenID = unknownTokenID
        let special = addedTokens.filter(\.isSpecial)
        specialTokenIDs = Set(special.map(\.id))
        specialTokens = Set(special.map(\.content))
        vocabularySize = max(model.vocabularySize, (addedTokens.map(\.id).max() ?? -1) + 1)
        rawMatcher = AddedTokenMatcher(addedTokens.filter { !$0.isNormalized || normalizer == nil })
        normalizedMatcher = AddedTokenMatcher(normalizer == nil ? [] : addedTokens.filter(\.isNormalized))
        addedTokenText = Dictionary(addedTokens.filter { $0.id >= 0 }.map { ($0.id, $0.content) },
                                    uniquingKeysWith: { first, _ in first })
        addedTokenID = Dictionary(addedTokens.map { (Array($0.content.utf8), $0.id) }, uniquingKeysWith: { a, _ in a })
    }

    public func encode(_ text: String, addSpecialTokens: Bool) -> [Int] {
        var ids = [Int]()
        ids.reserveCapacity(text.utf8.count / 3)
        for segment in rawMatcher.split(text) {
            switch segment {
            case let .token(id):
                ids.append(id)
            case let .text(piece, isFirst):
                guard let normalizer else {
                    encodePiece(piece, isFirst: isFirst, into: &ids)
                    continue
                }
                for inner in normalizedMatcher.split(normalizer.normalize(piece), isFirst: isFirst) {
                    switch inner {
                    case let .token(id): ids.append(id)
                    case let .text(normalized, isFirst): encodePiece(normalized, isFirst: isFirst, into: &ids)
                    }
                }
            }
        }
        if addSpecialTokens, let postProcessor { ids = postProcessor.process(ids) }
        return ids
    }

    private func encodePiece(_ piece: String, isFirst: Bool, into ids: inout [Int]) {
        // Fast path (GPT-2 style): split ranges straight into the byte-level model, no word strings.
        if let splitter = preTokenizer as? SplittingPreTokenizer, let bpe = model as? BPEModel, bpe.alphabet == .bytes {
            let text = ClassifiedScalars(piece)
            text.utf8.withUnsafeBufferPointer { bytes in
                for range in splitter.wordRanges(text) {
                    let lower = text.offsets[range.lowerBound], upper = text.offsets[range.upperBound]
                    bpe.tokenize(utf8: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), into: &ids)
                }
            }
            return
        }
        guard let preTokenizer else {
            ids.append(contentsOf: model.tokenize(piece))
            return
        }
        for word in preTokenizer.preTokenize(piece, isFirst: isFirst) {
            ids.append(contentsOf: model.tokenize(word))
        }
    }

    /// The pre-tokenizer alone applied to `text` (Hugging Face `pre_tokenize_str`): the words
    /// the model would see, in plain text (not byte-level spelling). For debugging and tests.
    public func preTokenize(_ text: String) -> [String] {
        guard let preTokenizer else { return text.isEmpty ? [] : [text] }
        return preTokenizer.preTokenize(text, isFirst: true)
    }

    public func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
        var tokens = [String]()
        tokens.reserveCapacity(ids.count)
        for id in ids {
            if skipSpecialTokens && specialTokenIDs.contains(id) { continue }
            if let text = token(for: id) { tokens.append(text) }
        }
        guard let decoder else { return tokens.joined(separator: " ") }
        return decoder.decode(tokens).joined()
    }

    public func token(for id: Int) -> String? {
        guard id >= 0 && id < vocabularySize else { return nil }
        return addedTokenText[id] ?? model.token(for: id)
    }

    public func id(for token: String) -> Int? {
        addedTokenID[Array(token.utf8)] ?? model.id(for: token)
    }
}
