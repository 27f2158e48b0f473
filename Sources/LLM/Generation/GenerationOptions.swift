import Tensor

/// Settings of one `generate` call.
public struct GenerationOptions: Sendable {
    public var maxNewTokens: Int = 128
    public var sampling: SamplingOptions = SamplingOptions()
    /// Generation of a sequence stops after any of these ids (they are kept in `tokens`).
    public var eosTokenIDs: Set<Int> = []
    /// Generation of a sequence stops when its text contains one of these; the text is cut
    /// before the stop string.
    public var stopStrings: [String] = []
    /// Sequence i samples from the stream seeded with `seed` and i, so results do not depend
    /// on which other sequences share the batch.
    public var seed: UInt64 = 0
    /// How the KV caches store keys and values: Float16 halves the memory and the bytes each
    /// decode step reads; Float32 keeps them exactly as computed.
    public var cacheFormat: KeyValueFormat = GenerationOptions.defaultCacheFormat

    /// Float16.
    public static let defaultCacheFormat = KeyValueFormat.float16

    public init(maxNewTokens: Int = 128, sampling: SamplingOptions = SamplingOptions(),
                eosTokenIDs: Set<Int> = [], stopStrings: [String] = [], seed: UInt64 = 0,
                cacheFormat: KeyValueFormat = GenerationOptions.defaultCacheFormat) {
        self.maxNewTokens = maxNewTokens
        self.sampling = sampling
        self.eosTokenIDs = eosTokenIDs
        self.stopStrings = stopStrings
        self.seed = seed
        self.cacheFormat = cacheFormat
    }
}

/// What one sequence produced.
public struct GenerationResult: Sendable, Equatable {
    public enum FinishReason: String, Sendable {
        case endOfSequence, stopString, maxNewTokens, cancelled
    }

    /// The new token ids (an EOS id that ended the sequence is included).
    public var tokens: [Int]
    /// The decoded new text, without the EOS token and cut before a stop string.
    public var text: String
    public var finishReason: FinishReason
}
