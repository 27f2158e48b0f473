import Tensor

/// The order in which prompts are drawn, as TRL's `RepeatSampler`: every epoch a seeded
/// shuffle of the dataset, cut into blocks of `promptsPerBatch` prompts (an incomplete last
/// block is dropped); each block becomes one generation batch, every prompt repeated G times
/// consecutively by the caller.
///
/// The whole state (stream, permutation, position) is `Codable`, so a resumed run draws the
/// same prompts it would have drawn without stopping.
public struct PromptSampler: Codable, Equatable, Sendable {
    public let datasetCount: Int
    public let promptsPerBatch: Int
    /// The shuffling stream; advanced once per epoch.
    public private(set) var random: RandomStream
    /// The current epoch's order.
    public private(set) var order: [Int] = []
    /// The next block's start in `order`.
    public private(set) var position = 0
    /// Epochs started so far.
    public private(set) var epoch = 0

    /// A sampler over `datasetCount` rows; throws when the dataset is smaller than one block.
    public init(datasetCount: Int, promptsPerBatch: Int, random: RandomStream) throws {
        guard promptsPerBatch > 0, datasetCount >= promptsPerBatch else {
            throw GRPOConfigError(["perDeviceTrainBatchSize", "numGenerations"],
                "The dataset has \(datasetCount) prompts but one generation batch takes \(promptsPerBatch); "
                + "add prompts or lower perDeviceTrainBatchSize × stepsPerGeneration ÷ numGenerations.")
        }
        self.datasetCount = datasetCount
        self.promptsPerBatch = promptsPerBatch
        self.random = random
    }

    /// Blocks per epoch.
    public var batchesPerEpoch: Int { datasetCount / promptsPerBatch }

    /// The dataset row indices of the next generation batch (one per prompt, not repeated).
    public mutating func nextBatch() -> [Int] {
        if order.isEmpty || position + promptsPerBatch > order.count {
            order = Self.permutation(datasetCount, using: &random)
            position = 0
            epoch += 1
        }
        defer { position += promptsPerBatch }
        return Array(order[position ..< position + promptsPerBatch])
    }

    /// The fractional epoch reached (epochs completed plus the fraction of the current one).
    public var epochProgress: Double {
        guard epoch > 0 else { return 0 }
        return Double(epoch - 1) + Double(position / promptsPerBatch) / Double(max(1, batchesPerEpoch))
    }

    /// A Fisher–Yates shuffle of 0..<count from `random` (uniform draws by rejection, no modulo bias).
    static func permutation(_ count: Int, using random: inout RandomStream) -> [Int] {
        var values = Array(0..<count)
        guard count > 1 else { return values }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(random.next(upperBound: UInt64(i + 1)))
            values.swapAt(i, j)
        }
        return values
    }
}
