/// Turns ids into text one id at a time, emitting only complete characters.
///
/// A byte-level token may end in the middle of a UTF-8 sequence (an emoji split over two
/// tokens). The decoder keeps such ids pending until the text they decode to no longer ends
/// in U+FFFD. It decodes each new id together with the ids emitted last, so decoders that
/// depend on the neighbour (SentencePiece's leading space, WordPiece's `##`) behave as in a
/// full `decode`.
public final class StreamingDecoder {
    private let tokenizer: Tokenizer
    private let skipSpecialTokens: Bool
    /// The ids emitted last (as context) followed by the ids not yet emitted.
    private var window: [Int] = []
    /// How many leading ids of `window` were already emitted.
    private var emittedCount = 0
    /// The decoding of the emitted ids in `window`.
    private var emittedText = ""
    private static let maxPending = 8

    /// A decoder for `tokenizer`; `skipSpecialTokens` leaves special tokens out.
    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// Adds `id` and returns the newly completed text (empty while a character is incomplete).
    public func append(_ id: Int) -> String {
        window.append(id)
        let text = tokenizer.decode(window, skipSpecialTokens: skipSpecialTokens)
        // A character needs at most 4 byte tokens; beyond that the bytes are invalid for good.
        let incomplete = text.unicodeScalars.last == "\u{FFFD}" && window.count - emittedCount <= Self.maxPending
        guard text.utf8.count > emittedText.utf8.count, !incomplete else { return "" }
        let newText = Self.text(text, after: emittedText)
        // The ids just emitted become the context: they decode to whole characters on their
        // own (a single trailing byte token would not, under byte fallback).
        window = Array(window[emittedCount...])
        emittedCount = window.count
        emittedText = tokenizer.decode(window, skipSpecialTokens: skipSpecialTokens)
        return newText
    }

    /// Returns whatever is still pending (incomplete sequences become U+FFFD) and resets.
    public func finish() -> String {
        defer { reset() }
        guard window.count > emittedCount else { return "" }
        let text = tokenizer.decode(window, skipSpecialTokens: skipSpecialTokens)
        return Self.text(text, after: emittedText)
    }

    /// Forgets all state, as if newly created.
    public func reset() {
        window = []
        emittedCount = 0
        emittedText = ""
    }

    private static func text(_ text: String, after prefix: String) -> String {
        let bytes = Array(text.utf8)
        let prefixBytes = Array(prefix.utf8)
        if bytes.starts(with: prefixBytes) {
            return String(decoding: bytes[prefixBytes.count...], as: UTF8.self)
        }
        return String(text.dropFirst(prefix.count))
    }
}
