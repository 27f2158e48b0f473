import Foundation
import Fuzzing
import XCTest

/// The fuzzer's built-in seeds must be complete: a seed its own reader rejects would make every
/// campaign shallower than it claims (RELIABILITY.md says how deep each target goes).
final class FuzzSeedTests: XCTestCase {
    private var emptyCache: URL!

    override func setUpWithError() throws {
        emptyCache = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-seed-tests-\(getpid())")
        try FileManager.default.createDirectory(at: emptyCache, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: emptyCache)
    }

    /// Only the seeds built in process (no fixtures, an empty model cache).
    private func builtinSeeds(_ target: FuzzTarget) -> [FuzzSeed] {
        target.seeds(from: FuzzSeedSources(fixtures: nil, extraFolders: [], modelCache: emptyCache))
    }

    func testEveryTargetAcceptsItsBuiltinSeeds() throws {
        let scratch = try FuzzScratch()
        defer { scratch.remove() }
        for target in FuzzTargets.all {
            let seeds = builtinSeeds(target)
            XCTAssertFalse(seeds.isEmpty, "\(target.name) has no built-in seed")
            for seed in seeds {
                XCTAssertNoThrow(try target.run(FuzzInput(bytes: seed.bytes, paddedSize: nil, origin: seed.name), scratch),
                                 "\(target.name) rejects its seed '\(seed.name)'")
            }
        }
    }

    func testTheTokenizerTargetHasSmallSeedsOfEveryModelType() throws {
        let seeds = builtinSeeds(try XCTUnwrap(FuzzTargets.named("tokenizer")))
        XCTAssertGreaterThanOrEqual(seeds.count, 4)
        for seed in seeds { XCTAssertLessThan(seed.bytes.count, 16 << 10, seed.name) }
        let text = seeds.map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
        for type in ["\"BPE\"", "\"WordPiece\"", "\"Metaspace\"", "\"ByteFallback\"", "\"BertNormalizer\"", "\"Split\"",
                     "\"TemplateProcessing\"", "\"BertProcessing\"", "\"RobertaProcessing\"", "\"BPEDecoder\"", "\"Prepend\""] {
            XCTAssertTrue(text.contains(type), "no built-in tokenizer seed uses \(type)")
        }
    }

    func testTheStructureAwareMutatorChangesInputsDeterministically() throws {
        let target = try XCTUnwrap(FuzzTargets.named("gguf"))
        let seed = try XCTUnwrap(builtinSeeds(target).first)
        var changed = 0
        for randomSeed in UInt64(1)...20 {
            var first = seed.bytes, second = seed.bytes
            target.mutate(&first, randomSeed: randomSeed)
            target.mutate(&second, randomSeed: randomSeed)
            XCTAssertEqual(first, second, "random seed \(randomSeed)")
            if first != seed.bytes { changed += 1 }
        }
        XCTAssertGreaterThanOrEqual(changed, 15)
    }
}
