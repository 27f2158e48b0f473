/// SentencePiece BPE: two tokens merge when their concatenation is a token, and the higher
/// that token's score, the earlier. Looked up in the vocabulary itself, so nothing is stored
/// per pair (a table of Gemma 3's 515k such pairs took 11 MiB).
struct ScoredConcatenations: MergeRule {
    let vocabulary: SpellingTable
    let scores: [Float]

    @inline(__always)
    func merge(_ left: Int32, _ right: Int32) -> Merge? {
        vocabulary.withBytes(of: Int(left)) { leftBytes in
            vocabulary.withBytes(of: Int(right)) { rightBytes in
                guard let id = vocabulary.id(ofConcatenation: leftBytes, rightBytes) else { return nil }
                return Merge(priority: -(id < scores.count ? scores[id] : 0), result: Int32(id))
            }
        }
    }
}
