import Foundation

/// Byte-pair encoding over a vocabulary and a merge table.
///
/// Two symbol alphabets:
/// - byte-level (GPT-2, Llama 3, Qwen2, SmolLM): a word's UTF-8 bytes, spelled through
///   `ByteLevelAlphabet`; every byte has a token, so nothing is unknown;
/// - characters (SentencePiece BPE): a word's Unicode scalars; a scalar missing from the
///   vocabulary becomes its `<0xXX>` byte tokens (byte fallback) or the unknown token.
///
/// Results are cached per word. Vocabulary lookups are keyed by UTF-8 bytes: `String`
/// equality is canonical equivalence, which would conflate `é` with `e` + U+0301.
final class BPEModel: TokenizingModel, @unchecked Sendable {
    enum Alphabet { case bytes, characters }

    let alphabet: Alphabet
    /// Token spellings by id (empty for unused ids).
    private let vocabulary: SpellingTable
    private let merges: Merges
    /// Byte-level: the id of each byte's character. Characters: the `<0xXX>` ids (byte fallback).
    private let byteIDs: [Int32]?
    private let unknownID: Int?
    private let fuseUnknown: Bool
    /// With `ignoreMerges`, a word already in the vocabulary is one token (Llama 3).
    private let ignoreMerges: Bool
    /// Byte-level and `ignoreMerges`: the bytes each token stands for.
    private let vocabularyByText: SpellingTable?

    /// The two kinds of merge rule, kept concrete so each `apply` is specialized.
    private enum Merges {
        case ranked(MergeTable)
        case scored(ScoredConcatenations)

        func apply(to symbols: [Int32]) -> [Int32] {
            switch self {
            case .ranked(let table): table.apply(to: symbols)
            case .scored(let rule): rule.apply(to: symbols)
            }
        }
    }

    private var cache = WordCache()
    private let cacheLock = NSLock()

    /// A model over `tokens` (index = id) and merges given as token pairs, rank = index.
    /// Merges naming tokens absent from the vocabulary are skipped.
    convenience init(tokens: [String], merges: [(String, String)], alphabet: Alphabet,
         byteFallback: Bool = false, unknownID: Int? = nil, fuseUnknown: Bool = false,
         ignoreMerges: Bool = false) {
        let vocabulary = SpellingTable(tokens: tokens)
        var table = MergeTable()
        for (rank, pair) in merges.enumerated() {
            let leftBytes = Array(pair.0.utf8), rightBytes = Array(pair.1.utf8)
            guard let left = vocabulary.id(of: leftBytes), let right = vocabulary.id(of: rightBytes),
                  let result = vocabulary.id(of: leftBytes + rightBytes) else { continue }
            table.add(left: Int32(left), right: Int32(right), result: Int32(result), priority: Float(rank))
        }
        table.shrinkToFit()
        self.init(vocabulary: vocabulary, byteLevelSpellings: alphabet == .bytes && ignoreMerges ? tokens : nil,
                  merges: .ranked(table), alphabet: alphabet,
                  byteFallback: byteFallback, unknownID: unknownID, fuseUnknown: fuseUnknown,
                  ignoreMerges: ignoreMerges)
    }

    /// A SentencePiece model whose merge priority is the score of the merged token: every
    /// pair of vocabulary tokens whose concatenation is a token merges, highest score first.
    convenience init(tokens: [String], scores: [Float], byteFallback: Bool, unknownID: Int?) {
        let vocabulary = SpellingTable(tokens: tokens)
        self.init(vocabulary: vocabulary, byteLevelSpellings: nil,
                  merges: .scored(ScoredConcatenations(vocabulary: vocabulary, scores: scores)), alphabet: .characters,
                  byteFallback: byteFallback, unknownID: unknownID, fuseUnknown: false, ignoreMerges: false)
    }

    /// `byteLevelSpellings`: the token strings, when whole words are looked up by the bytes
    /// their byte-level spellings stand for (byte-level with `ignoreMerges`).
    private init(vocabulary: SpellingTable, byteLevelSpellings: [String]?, merges: Merges, alphabet: Alphabet,
                 byteFallback: Bool, unknownID: Int?, fuseUnknown: Bool, ignoreMerges: Bool) {
        self.vocabulary = vocabulary
        self.merges = merges
        self.alphabet = alphabet
        self.unknownID = unknownID
        self.fuseUnknown = fuseUnknown
        self.ignoreMerges = ignoreMerges
        switch alphabet {
        case .bytes:
            byteIDs = (0..<256).map { byte in
                let spelling = Array(String(ByteLevelAlphabet.characterForByte[byte]).utf8)
                return Int32(vocabulary.id(of: spelling) ?? unknownID ?? -1)
            }
        case .characters:
            byteIDs = byteFallback
                ? (0..<256).map { Int32(vocabulary.id(of: String(format: "<0x%02X>", $0)) ?? -1) }
                : nil
        }
        vocabularyByText = byteLevelSpellings.map { SpellingTable($0.lazy.map(ByteLevelAlphabet.decode)) }
    }

    var vocabularySize: Int { vocabulary.count }

    func token(for id: Int) -> String? {
        vocabulary.string(for: id)
    }

    func id(for token: String) -> Int? {
        vocabulary.id(of: token)
    }

    func tokenize(_ word: String) -> [Int] {
        var ids = [Int]()
        var word = word
        word.withUTF8 { tokenize(utf8: $0, into: &ids) }
        return ids
    }

    /// Appends the ids of the word whose UTF-8 bytes are `word` to `ids`.
    func tokenize(utf8 word: UnsafeBufferPointer<UInt8>, into ids: inout [Int]) {
        if word.isEmpty { return }
        let hash = WordCache.hash(word)
        cacheLock.lock()
        let found = cache.lookup(word, hash: hash, into: &ids)
        cacheLock.unlock()
        if found { return }

        let start = ids.count
        encodeUncached(word, into: &ids)
        cacheLock.lock()
        cache.insert(word, hash: hash, result: ids[start...])
        cacheLock.unlock()
    }

    private func encodeUncached(_ word: UnsafeBufferPointer<UInt8>, into ids: inout [Int]) {
        switch alphabet {
        case .bytes:
            if let id = vocabularyByText?.id(of: word) {
                ids.append(id)
                return
            }
            let table = byteIDs ?? []
            let symbols = word.map { table[Int($0)] }
            for symbol in merges.apply(to: symbols) where symbol >= 0 { ids.append(Int(symbol)) }
        case .characters:
            if ignoreMerges, let id = vocabulary.id(of: word) {
                ids.append(id)
                return
            }
            let text = String(decoding: word, as: UTF8.self)
            for symbol in merges.apply(to: characterSymbols(text)) { ids.append(Int(symbol)) }
        }
    }

    /// A word's scalars as ids, with byte fallback or the unknown token for missing ones.
    private func characterSymbols(_ word: String) -> [Int32] {
        var symbols = [Int32]()
        var previousWasUnknown = false
        for scalar in word.unicodeScalars {
            if let id = vocabulary.id(of: String(scalar)) {
                symbols.append(Int32(id))
                previousWasUnknown = false
                continue
            }
            if let byteIDs {
                let bytes = Array(String(scalar).utf8)
                let ids = bytes.map { byteIDs[Int($0)] }
                if ids.allSatisfy({ $0 >= 0 }) {
                    symbols.append(contentsOf: ids)
                    previousWasUnknown = false
                    continue
                }
            }
            guard let unknownID else { continue }
            if !(fuseUnknown && previousWasUnknown) { symbols.append(Int32(unknownID)) }
            previousWasUnknown = true
        }
        return symbols
    }
}
