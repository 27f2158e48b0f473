import Foundation

/// A seeded xoshiro256** generator: fast, 256 bits of state, reproducible across platforms.
///
/// The state is seeded through SplitMix64, as the xoshiro authors recommend, and is `Codable`
/// so a checkpoint can resume the exact sequence.
public struct RandomStream: RandomNumberGenerator, Codable, Equatable, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A stream determined entirely by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        nextBits()
    }

    @usableFromInline
    mutating func nextBits() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float {
        Float(nextBits() >> 40) * (1 / 16_777_216)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextUniformDouble() -> Double {
        Double(nextBits() >> 11) * (1 / 9_007_199_254_740_992)
    }

    /// A standard normal sample (Box–Muller on two uniforms; one pair per call, no cached spare,
    /// so the sequence depends only on the number of calls).
    public mutating func nextNormal() -> Float {
        let u1 = 1 - nextUniformDouble()  // (0, 1], keeps log finite
        let u2 = nextUniformDouble()
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    public static func == (lhs: RandomStream, rhs: RandomStream) -> Bool {
        lhs.state == rhs.state
    }

    private enum CodingKeys: String, CodingKey { case state }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let words = try container.decode([UInt64].self, forKey: .state)
        guard words.count == 4, words.contains(where: { $0 != 0 }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: container,
                debugDescription: "A random stream's state must be four 64-bit words, not all zero; the checkpoint is damaged.")
        }
        state = (words[0], words[1], words[2], words[3])
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode([state.0, state.1, state.2, state.3], forKey: .state)
    }
}

/// One independent random stream per purpose, all derived from one seed.
///
/// Drawing from one stream never shifts another: adding dropout does not change which samples
/// a rollout generates, and re-shuffling the data does not change the initialization.
public struct RandomStreams: Codable, Equatable, Sendable {
    /// The seed every stream was derived from.
    public let seed: UInt64
    /// Weight initialization (LoRA matrices, fresh layers).
    public var initialization: RandomStream
    /// Dropout masks.
    public var dropout: RandomStream
    /// Token sampling during generation.
    public var sampling: RandomStream
    /// Dataset shuffling and batching order.
    public var shuffling: RandomStream

    /// Derives the four streams from `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        initialization = RandomStream(seed: RandomStreams.derive(seed, purpose: 1))
        dropout = RandomStream(seed: RandomStreams.derive(seed, purpose: 2))
        sampling = RandomStream(seed: RandomStreams.derive(seed, purpose: 3))
        shuffling = RandomStream(seed: RandomStreams.derive(seed, purpose: 4))
    }

    /// A seed for purpose `purpose` that shares no simple relation with `seed` or other purposes.
    private static func derive(_ seed: UInt64, purpose: UInt64) -> UInt64 {
        var stream = RandomStream(seed: seed ^ (purpose &* 0xD1B5_4A32_D192_ED03))
        return stream.next()
    }
}
