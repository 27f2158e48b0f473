/// Encoding text that goes to the model as it is (a raw prompt, a text to score).
extension Tokenizer {
    /// The ids of raw text framed the way the model's tokenizer settings ask (`add_bos_token`,
    /// `tokenizer.ggml.add_bos_token`, the post-processor template): BOS first for Gemma and
    /// Llama 3, nothing for SmolLM2. A text that already starts with the BOS token (a rendered
    /// chat template writing `{{ bos_token }}`) does not get a second one.
    public func encodePrompt(_ text: String) -> [Int] {
        var ids = encode(text, addSpecialTokens: true)
        if let bos = bosTokenID, ids.count >= 2, ids[0] == bos, ids[1] == bos,
           encode(text, addSpecialTokens: false).first == bos {
            ids.removeFirst()
        }
        return ids
    }

    /// Whether encoding with special tokens puts the BOS id first (the model expects it).
    public var addsBOS: Bool {
        guard let bos = bosTokenID else { return false }
        return encode("", addSpecialTokens: true).first == bos
    }

    /// The ids of text rendered by a chat template: encoded without adding special tokens (the
    /// template writes what the model needs), as transformers' `apply_chat_template` does.
    public func encodeChat(_ renderedText: String) -> [Int] {
        encode(renderedText, addSpecialTokens: false)
    }
}
