import Foundation

/// Builds the inputs of one campaign: input `i` is the seed picked by `FuzzRandom(seed, i)`,
/// mutated one to eight times. The same seeds and campaign seed give the same inputs in any
/// process, so the driver can rebuild the input a worker died on.
public struct FuzzEngine {
    /// Inputs are cut to this size so the harness itself stays bounded.
    static let maximumInputSize = 32 << 20

    public let target: FuzzTarget
    public let seeds: [FuzzSeed]
    public let campaignSeed: UInt64
    private let totalWeight: Int

    public init(target: FuzzTarget, sources: FuzzSeedSources, campaignSeed: UInt64) {
        self.target = target
        self.seeds = target.seeds(sources).filter { $0.weight > 0 }
        self.campaignSeed = campaignSeed
        totalWeight = seeds.reduce(0) { $0 + $1.weight }
    }

    public func input(at index: UInt64) -> FuzzInput {
        var rng = FuzzRandom(seed: campaignSeed, index: index)
        var ticket = rng.below(totalWeight)
        var seed = seeds[0]
        for candidate in seeds {
            if ticket < candidate.weight { seed = candidate; break }
            ticket -= candidate.weight
        }
        var bytes = seed.bytes
        var log: [String] = []
        let rounds = 1 + rng.below(rng.chance(0.2) ? 8 : 2)
        for _ in 0..<rounds {
            target.mutate(&bytes, seed, &rng, &log)
            if bytes.count > Self.maximumInputSize { bytes.removeSubrange(Self.maximumInputSize...) }
        }
        return FuzzInput(bytes: bytes, paddedSize: seed.paddedSize,
                         origin: "seed '\(seed.name)'; " + log.joined(separator: "; "))
    }

    /// Runs inputs `range` in this process, writing "index accepted-so-far\n" to `progress`
    /// before each one. Returns how many the reader accepted (ran without throwing).
    public func runInProcess(_ range: Range<UInt64>, progress: Int32?) throws -> Int {
        let scratch = try FuzzScratch()
        defer { scratch.remove() }
        var accepted = 0
        for index in range {
            if let progress {
                let line = Array("\(index) \(accepted)\n".utf8)
                _ = line.withUnsafeBytes { write(progress, $0.baseAddress, $0.count) }
            }
            let input = input(at: index)
            do {
                try target.run(input, scratch)
                accepted += 1
            } catch {}
        }
        return accepted
    }
}
