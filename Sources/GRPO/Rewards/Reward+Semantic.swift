import Foundation
import LLM

extension Reward {
    /// The cosine similarity (MiniLM sentence embeddings) between the extracted answer and
    /// the reference in `column`: in [-1, 1], 1 for the same text. nil where the reference is
    /// null or empty; 0 for an empty answer.
    ///
    /// The answer is the text inside `<answer>` when there is one, else the whole completion.
    /// Without an `encoder`, the default all-MiniLM-L6-v2 is loaded on first use (once per
    /// process) and a loading failure is thrown from `score`.
    public static func semanticCorrectness(encoder: SentenceEncoder? = nil, column: String = "answer",
                                           name: String = "semantic_correctness") -> Reward {
        Reward(name: name, range: -1...1) { batch in
            let references = try batch.values(column)
            let model = try encoder ?? DefaultSentenceEncoder.shared()
            var cache: [String: [Float]] = [:]
            func embedding(_ text: String) throws -> [Float] {
                if let known = cache[text] { return known }
                let vector = try model.embed(text)
                cache[text] = vector
                return vector
            }
            return try zip(batch.completions, references).map { completion, reference -> Double? in
                guard !reference.isNull, !reference.text.isEmpty else { return nil }
                let answer = RewardText.extractAnswer(completion)
                guard !answer.isEmpty else { return 0 }
                return cosineSimilarity(try embedding(answer), try embedding(reference.text))
            }
        }
    }

    /// Cosine similarity computed in Double (so a vector with itself gives 1 to ~1e-15),
    /// clamped to [-1, 1]; 0 when either vector is zero.
    public static func cosineSimilarity(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, normA = 0.0, normB = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            normA += Double(x) * Double(x)
            normB += Double(y) * Double(y)
        }
        guard normA > 0, normB > 0 else { return 0 }
        return min(1, max(-1, dot / (normA.squareRoot() * normB.squareRoot())))
    }
}

/// The default sentence encoder, loaded once per process on first use.
enum DefaultSentenceEncoder {
    private static let lock = NSLock()
    private static var loaded: SentenceEncoder?

    static func shared() throws -> SentenceEncoder {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        let encoder = try SentenceEncoder.load()
        loaded = encoder
        return encoder
    }
}
