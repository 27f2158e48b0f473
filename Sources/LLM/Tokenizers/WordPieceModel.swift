/// WordPiece (BERT): greedy longest match from the left, continuation pieces spelled with a
/// prefix (`##`); a word with any unmatched position, or longer than
/// `maxInputCharactersPerWord`, becomes the unknown token.
struct WordPieceModel: TokenizingModel {
    private let vocabulary: SpellingTable
    let unknownID: Int
    let continuingSubwordPrefix: String
    let maxInputCharactersPerWord: Int

    init(tokens: [String], unknownID: Int, continuingSubwordPrefix: String = "##",
         maxInputCharactersPerWord: Int = 100) {
        vocabulary = SpellingTable(tokens: tokens)
        self.unknownID = unknownID
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
    }

    var vocabularySize: Int { vocabulary.count }

    func token(for id: Int) -> String? {
        vocabulary.string(for: id)
    }

    func id(for token: String) -> Int? {
        vocabulary.id(of: token)
    }

    func tokenize(_ word: String) -> [Int] {
        let scalars = Array(word.unicodeScalars)
        if scalars.isEmpty { return [] }
        if scalars.count > maxInputCharactersPerWord { return [unknownID] }
        // UTF-8 offset of each scalar boundary, so candidate pieces are byte slices.
        let bytes = Array(word.utf8)
        var offsets = [0]
        for scalar in scalars { offsets.append(offsets[offsets.count - 1] + UTF8.width(scalar)) }
        let prefix = Array(continuingSubwordPrefix.utf8)
        var ids = [Int]()
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int?
            while end > start {
                let piece = (start > 0 ? prefix : []) + bytes[offsets[start]..<offsets[end]]
                if let id = vocabulary.id(of: piece) {
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
