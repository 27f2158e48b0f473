/// The stage that turns one pre-tokenized word into ids (BPE, WordPiece).
public protocol TokenizingModel: Sendable {
    /// The ids of `word`.
    func tokenize(_ word: String) -> [Int]
    /// The vocabulary spelling of `id`.
    func token(for id: Int) -> String?
    /// The id of a vocabulary spelling.
    func id(for token: String) -> Int?
    /// The number of ids (largest id plus one).
    var vocabularySize: Int { get }
}
