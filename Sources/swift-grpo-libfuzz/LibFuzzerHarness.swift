import Foundation
import Fuzzing
import LLM

/// The state of one libFuzzer process: the target chosen by `SWIFT_GRPO_FUZZ_TARGET` and the
/// scratch folder its inputs become files in. Each input goes through the same `run` as in
/// `swift-grpo fuzz`, so libFuzzer's coverage guidance drives the same "load as far as a real
/// load" code; the custom mutator mixes libFuzzer's byte mutations with the target's
/// structure-aware ones.
enum LibFuzzerHarness {
    static let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["SWIFT_GRPO_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTargets.named(name) else {
            let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
            FileHandle.standardError.write(Data("swift-grpo-libfuzz: set SWIFT_GRPO_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    static let scratch: FuzzScratch = {
        do {
            return try FuzzScratch()
        } catch {
            FileHandle.standardError.write(Data("swift-grpo-libfuzz: cannot create a scratch folder: \(error)\n".utf8))
            exit(2)
        }
    }()

    /// Writes the target's seeds (the same as `swift-grpo fuzz` starts from) into `folder`, one file each.
    static func writeSeeds(to folder: String) throws -> Int {
        let environment = ProcessInfo.processInfo.environment
        let sources = FuzzSeedSources(
            fixtures: environment["SWIFT_GRPO_FIXTURES"].map { URL(fileURLWithPath: $0) },
            extraFolders: (environment["SWIFT_GRPO_FUZZ_SEEDS"] ?? "").split(separator: ":").map { URL(fileURLWithPath: String($0)) },
            modelCache: ModelRegistry().cacheDirectory)
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let seeds = target.seeds(from: sources)
        for (index, seed) in seeds.enumerated() {
            try Data(seed.bytes).write(to: url.appendingPathComponent("\(target.name)-seed-\(index)"))
        }
        return seeds.count
    }

    /// One input; every thrown error is a rejected input (the expected outcome for most).
    static func run(_ bytes: [UInt8]) {
        do {
            try target.run(FuzzInput(bytes: bytes, paddedSize: nil, origin: "libFuzzer"), scratch)
        } catch {}
    }
}
