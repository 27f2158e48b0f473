import Foundation
import Tensor

/// Everything besides weights and optimizer moments that decides what the run does next; saved
/// in every checkpoint so a resumed run continues bit for bit.
public struct TrainerState: Codable, Sendable {
    /// Optimizer steps completed (TRL's `global_step`).
    public var step = 0
    /// Micro-steps completed (TRL's `_step`); a generation batch starts every
    /// `stepsPerGeneration × numIterations` of them.
    public var microStep = 0
    /// The prompt order and position in it.
    public var sampler: PromptSampler
    /// Generation rounds so far; round n samples with a seed derived from `config.seed` and n.
    public var generationRounds = 0
    /// Shuffles each generation batch before it is split into micro-batches.
    public var bufferShuffling: RandomStream
    /// The generation batch in use, if any.
    public var buffer: RolloutBuffer?
    /// Prompt and completion tokens generated so far (TRL's `num_tokens`).
    public var numTokens: Double = 0
    /// Updates skipped because the loss or the gradients were not finite.
    public var skippedUpdates = 0
    /// Consecutive generation batches where every group's rewards agreed.
    public var zeroStdStreak = 0
    /// Steps finished since the metrics log was last written (it writes their means).
    public var logWindow: [StepMetrics] = []
    /// The adapter's dropout stream (LoRA dropout > 0 only).
    public var adapterDropout: RandomStream?

    init(sampler: PromptSampler, bufferShuffling: RandomStream) {
        self.sampler = sampler
        self.bufferShuffling = bufferShuffling
    }

    /// The sampling seed of generation round `round`.
    static func samplingSeed(_ seed: UInt64, round: Int) -> UInt64 {
        var stream = RandomStream(seed: (seed ^ 0x5EED_0F5A_3F11_E500) &+ UInt64(round) &* 0x9E37_79B9_7F4A_7C15)
        return stream.next()
    }
}

/// JSON coders for trainer files: NaN and infinities spelled out, keys sorted.
enum TrainerJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
