/// WordPiece (BERT): greedy longest match from the left, continuation pieces spelled with a
/// prefix (`##`); a word with any unmatched position, or longer than
/// `maxInputCharactersPerWord`, becomes the unknown token.
struct WordPieceModel: TokenizingModel {
    private let tokens: [String]
    private let vocabulary: [String: Int]
    let unknownID: Int
    let continuingSubwordPrefix: String
    let maxInputCharactersPerWord: Int

    init(tokens: [String], unknownID: Int, continuingSubwordPrefix: String = "##",
         maxInputCharactersPerWord: Int = 100) {
        self.tokens = tokens
        var vocabulary = [String: Int](minimumCapacity: tokens.count)
        for (id, token) in tokens.enumerated() where !token.isEmpty && vocabulary[token] == nil {
            vocabulary[token] = id
        }
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
    }

    var vocabularySize: Int { tokens.count }

    func token(for id: Int) -> String? {
        tokens.indices.contains(id) ? tokens[id] : nil
    }

    func id(for token: String) -> Int? {
        vocabulary[token]
    }

    func tokenize(_ word: String) -> [Int] {
        let scalars = Array(word.unicodeScalars)
        if scalars.isEmpty { return [] }
        if scalars.count > maxInputCharactersPerWord { return [unknownID] }
        var ids = [Int]()
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int?
            while end > start {
                var piece = String(String.UnicodeScalarView(scalars[start..<end]))
                if start > 0 { piece = continuingSubwordPrefix + piece }
                if let id = vocabulary[piece] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else { return [unknownID] }
            ids.append(id)
            start = end
        }
        return ids
    }
}
