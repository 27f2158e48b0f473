import Foundation

/// Byte-pair encoding over a vocabulary and a merge table.
///
/// Two symbol alphabets:
/// - byte-level (GPT-2, Llama 3, Qwen2, SmolLM): a word's UTF-8 bytes, spelled through
///   `ByteLevelAlphabet`; every byte has a token, so nothing is unknown;
/// - characters (SentencePiece BPE): a word's Unicode scalars; a scalar missing from the
///   vocabulary becomes its `<0xXX>` byte tokens (byte fallback) or the unknown token.
///
/// Results are cached per word.
final class BPEModel: TokenizingModel, @unchecked Sendable {
    enum Alphabet { case bytes, characters }

    let alphabet: Alphabet
    /// Token spellings by id (empty for unused ids).
    private let tokens: [String]
    private let vocabulary: [String: Int]
    private let merges: MergeTable
    /// Byte-level: the id of each byte's character. Characters: the `<0xXX>` ids (byte fallback).
    private let byteIDs: [Int32]?
    private let unknownID: Int?
    private let fuseUnknown: Bool
    /// With `ignoreMerges`, a word already in the vocabulary is one token (Llama 3).
    private let ignoreMerges: Bool
    /// Byte-level and `ignoreMerges`: the vocabulary keyed by the text each token stands for.
    private let vocabularyByText: [String: Int]

    private var cache: [String: [Int]] = [:]
    private let cacheLock = NSLock()
    private static let cacheLimit = 200_000

    /// A model over `tokens` (index = id) and merges given as token pairs, rank = index.
    /// Merges naming tokens absent from the vocabulary are skipped.
    convenience init(tokens: [String], merges: [(String, String)], alphabet: Alphabet,
         byteFallback: Bool = false, unknownID: Int? = nil, fuseUnknown: Bool = false,
         ignoreMerges: Bool = false) {
        let vocabulary = Self.vocabulary(of: tokens)
        var table = MergeTable()
        for (rank, pair) in merges.enumerated() {
            guard let left = vocabulary[pair.0], let right = vocabulary[pair.1],
                  let result = vocabulary[pair.0 + pair.1] else { continue }
            table.add(left: Int32(left), right: Int32(right), result: Int32(result), priority: Float(rank))
        }
        self.init(tokens: tokens, vocabulary: vocabulary, merges: table, alphabet: alphabet,
                  byteFallback: byteFallback, unknownID: unknownID, fuseUnknown: fuseUnknown,
                  ignoreMerges: ignoreMerges)
    }

    /// A SentencePiece model whose merge priority is the score of the merged token: every
    /// pair of vocabulary tokens whose concatenation is a token merges, highest score first.
    convenience init(tokens: [String], scores: [Float], byteFallback: Bool, unknownID: Int?) {
        let vocabulary = Self.vocabulary(of: tokens)
        var table = MergeTable()
        for (id, token) in tokens.enumerated() {
            let scalars = Array(token.unicodeScalars)
            guard scalars.count > 1 else { continue }
            for cut in 1..<scalars.count {
                let left = String(String.UnicodeScalarView(scalars[..<cut]))
                let right = String(String.UnicodeScalarView(scalars[cut...]))
                guard let leftID = vocabulary[left], let rightID = vocabulary[right] else { continue }
                let score = id < scores.count ? scores[id] : 0
                table.add(left: Int32(leftID), right: Int32(rightID), result: Int32(id), priority: -score)
            }
        }
        self.init(tokens: tokens, vocabulary: vocabulary, merges: table, alphabet: .characters,
                  byteFallback: byteFallback, unknownID: unknownID, fuseUnknown: false, ignoreMerges: false)
    }

    private init(tokens: [String], vocabulary: [String: Int], merges: MergeTable, alphabet: Alphabet,
                 byteFallback: Bool, unknownID: Int?, fuseUnknown: Bool, ignoreMerges: Bool) {
        self.tokens = tokens
        self.vocabulary = vocabulary
        self.merges = merges
        self.alphabet = alphabet
        self.unknownID = unknownID
        self.fuseUnknown = fuseUnknown
        self.ignoreMerges = ignoreMerges
        switch alphabet {
        case .bytes:
            byteIDs = (0..<256).map { byte in
                let spelling = String(ByteLevelAlphabet.characterForByte[byte])
                return Int32(vocabulary[spelling] ?? unknownID ?? -1)
            }
        case .characters:
            byteIDs = byteFallback
                ? (0..<256).map { Int32(vocabulary[String(format: "<0x%02X>", $0)] ?? -1) }
                : nil
        }
        var byText = [String: Int]()
        if ignoreMerges && alphabet == .bytes {
            for (spelling, id) in vocabulary {
                guard let bytes = ByteLevelAlphabet.decode(spelling),
                      let text = String(validating: bytes, as: UTF8.self) else { continue }
                byText[text] = id
            }
        }
        vocabularyByText = byText
    }

    private static func vocabulary(of tokens: [String]) -> [String: Int] {
        var vocabulary = [String: Int](minimumCapacity: tokens.count)
        for (id, token) in tokens.enumerated() where !token.isEmpty && vocabulary[token] == nil {
            vocabulary[token] = id
        }
        return vocabulary
    }

    var vocabularySize: Int { tokens.count }

    func token(for id: Int) -> String? {
        tokens.indices.contains(id) ? tokens[id] : nil
    }

    func id(for token: String) -> Int? {
        vocabulary[token]
    }

    func tokenize(_ word: String) -> [Int] {
        if word.isEmpty { return [] }
        cacheLock.lock()
        let cached = cache[word]
        cacheLock.unlock()
        if let cached { return cached }

        let result = encodeUncached(word)
        cacheLock.lock()
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[word] = result
        cacheLock.unlock()
        return result
    }

    private func encodeUncached(_ word: String) -> [Int] {
        switch alphabet {
        case .bytes:
            if ignoreMerges, let id = vocabularyByText[word] { return [id] }
            let table = byteIDs ?? []
            let symbols = word.utf8.map { table[Int($0)] }
            return merges.apply(to: symbols).compactMap { $0 >= 0 ? Int($0) : nil }
        case .characters:
            if ignoreMerges, let id = vocabulary[word] { return [id] }
            return merges.apply(to: characterSymbols(word)).map(Int.init)
        }
    }

    /// A word's scalars as ids, with byte fallback or the unknown token for missing ones.
    private func characterSymbols(_ word: String) -> [Int32] {
        var symbols = [Int32]()
        var previousWasUnknown = false
        for scalar in word.unicodeScalars {
            if let id = vocabulary[String(scalar)] {
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
