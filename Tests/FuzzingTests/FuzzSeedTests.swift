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

    /// Each config input is read afresh: a rejected config must not be remembered for the next
    /// input in the same worker process, nor a valid one let a broken one through.
    func testConfigInputsDoNotLeakIntoTheNextOne() throws {
        let target = try XCTUnwrap(FuzzTargets.named("config"))
        let seed = try XCTUnwrap(builtinSeeds(target).first { $0.name.hasPrefix("builtin") })
        let scratch = try FuzzScratch()
        defer { scratch.remove() }
        // The seed is a container with binary length fields: replace bytes, not decoded text,
        // and keep the length the same so those fields stay valid.
        let declared = Array("\"num_hidden_layers\": 2,".utf8)
        let at = try XCTUnwrap((0...(seed.bytes.count - declared.count)).first { Array(seed.bytes[$0..<$0 + declared.count]) == declared },
                               "the seed no longer declares 2 layers")
        func input(layers: Int) -> FuzzInput {
            var bytes = seed.bytes
            bytes.replaceSubrange(at..<at + declared.count, with: Array("\"num_hidden_layers\": \(layers),".utf8))
            return FuzzInput(bytes: bytes, paddedSize: nil, origin: "\(layers) layers")
        }
        func rejection(_ input: FuzzInput) -> String? {
            do { try target.run(input, scratch); return nil } catch { return String(describing: error) }
        }
        XCTAssertNil(rejection(input(layers: 2)))
        XCTAssertTrue(rejection(input(layers: 0))?.contains("num_hidden_layers") ?? false, "0 layers was accepted")
        XCTAssertNil(rejection(input(layers: 2)))
        XCTAssertTrue(rejection(input(layers: 3))?.contains("blocks for 2") ?? false, "3 layers over 2 layers' weights was accepted")
        XCTAssertNil(rejection(input(layers: 2)))
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
