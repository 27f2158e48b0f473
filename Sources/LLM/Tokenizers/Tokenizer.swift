/// Text ↔ token ids, shared by generation, training, rewards and the command line.
///
/// Every tokenizer is a pipeline: added/special tokens are split out first (longest first),
/// then each remaining piece is normalized, pre-tokenized and run through the model;
/// a post-processor may add BOS/EOS or `[CLS]…[SEP]`.
public protocol Tokenizer: AnyObject, Sendable {
    /// The token ids of `text`. Special tokens written in the text become single ids.
    /// With `addSpecialTokens`, the post-processor adds what the model's metadata asks for
    /// (BOS/EOS for GGUF models, `[CLS]`/`[SEP]` for BERT); without it, nothing is added.
    func encode(_ text: String, addSpecialTokens: Bool) -> [Int]
    /// The text of `ids`; with `skipSpecialTokens`, special tokens are left out.
    func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String
    /// The number of ids (the largest id plus one).
    var vocabularySize: Int { get }
    /// The beginning-of-sequence id, if the model has one.
    var bosTokenID: Int? { get }
    /// The end-of-sequence id, if the model has one.
    var eosTokenID: Int? { get }
    /// The padding id, if the model has one.
    var padTokenID: Int? { get }
    /// The unknown-token id, if the model has one.
    var unknownTokenID: Int? { get }
    /// The vocabulary spelling of `id` (byte-level spelling for GPT-2 style models).
    func token(for id: Int) -> String?
    /// The id whose vocabulary spelling is `token`.
    func id(for token: String) -> Int?
    /// The special tokens (control tokens; HF added tokens marked `special`).
    var specialTokens: Set<String> { get }
    /// The ids of `specialTokens`.
    var specialTokenIDs: Set<Int> { get }
}

extension Tokenizer {
    /// The token ids of `text`, adding no BOS/EOS (Hugging Face `add_special_tokens=False`).
    public func encode(_ text: String) -> [Int] {
        encode(text, addSpecialTokens: false)
    }

    /// The text of `ids`, special tokens included.
    public func decode(_ ids: [Int]) -> String {
        decode(ids, skipSpecialTokens: false)
    }

    /// The spelling of the BOS token (for chat templates' `bos_token`).
    public var bosToken: String? { bosTokenID.flatMap { token(for: $0) } }

    /// The spelling of the EOS token (for chat templates' `eos_token`).
    public var eosToken: String? { eosTokenID.flatMap { token(for: $0) } }

    /// A decoder that turns ids into text one id at a time, holding back incomplete characters.
    public func streamingDecoder(skipSpecialTokens: Bool = false) -> StreamingDecoder {
        StreamingDecoder(tokenizer: self, skipSpecialTokens: skipSpecialTokens)
    }
}
