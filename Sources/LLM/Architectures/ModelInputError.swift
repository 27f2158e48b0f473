/// Input a model cannot run on, caught before any tensor op sees it (the ops' own checks trap).
public enum ModelInputError: Error, CustomStringConvertible, Equatable {
    /// A token id outside the embedding table.
    case tokenOutOfRange(id: Int, position: Int, vocabularySize: Int)
    /// A forward pass that records gradients through a KV cache continuing a shared prefix.
    case cachedPrefixNeedsNoGrad

    public var description: String {
        switch self {
        case let .tokenOutOfRange(id, position, vocabularySize):
            return "Token id \(id) at position \(position) is outside the model's vocabulary (ids 0..<\(vocabularySize)). Encode the text with this model's tokenizer."
        case .cachedPrefixNeedsNoGrad:
            return "A KV cache that continues a shared prompt prefix (KVCache.continuation) only serves forward passes without gradients. Run generation under Autograd.noGrad, or compute gradients without a cache."
        }
    }
}
