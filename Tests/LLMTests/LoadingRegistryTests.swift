import Foundation
import LLM
import XCTest

final class LoadingRegistryTests: LoadingTestCase {
    func testCacheAndHFHomeComeFromTheEnvironment() {
        let registry = ModelRegistry(environment: ["HOME": "/home/u", "SWIFT_GRPO_MODELS": "/models", "HF_HOME": "/hf"])
        XCTAssertEqual(registry.cacheDirectory.path, "/models")
        XCTAssertEqual(registry.huggingFaceHome.path, "/hf")
        let defaults = ModelRegistry(environment: ["HOME": "/home/u"])
        XCTAssertEqual(defaults.cacheDirectory.path, "/home/u/.cache/swift-grpo/models")
        XCTAssertEqual(defaults.huggingFaceHome.path, "/home/u/.cache/huggingface")
    }

    func testRegistryNamesResolveIntoTheCache() throws {
        let cache = try LoadingTestPaths.scratchFolder()
        let registry = ModelRegistry(cacheDirectory: cache, huggingFaceHome: cache.appendingPathComponent("hf"))
        // Missing: the error names `make models` and the expected path.
        XCTAssertThrowsError(try registry.resolve("SmolLM2-135M-Instruct")) { error in
            guard case let .notInCache(name, path, command)? = error as? ModelLoadingError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "SmolLM2-135M-Instruct")
            XCTAssertEqual(path, cache.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf").path)
            XCTAssertEqual(command, "make models")
            XCTAssertTrue("\(error)".contains("make models"))
        }
        try LoadingTestPaths.write("GGUF", to: cache.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf"))
        try FileManager.default.createDirectory(at: cache.appendingPathComponent("all-MiniLM-L6-v2"), withIntermediateDirectories: true)
        XCTAssertEqual(try registry.resolve("SmolLM2-135M-Instruct").format, .gguf)
        XCTAssertEqual(try registry.resolve("smollm2-135m-instruct").url.lastPathComponent, "SmolLM2-135M-Instruct.Q4_1.gguf")
        let encoder = try registry.resolve("all-MiniLM-L6-v2")
        XCTAssertEqual(encoder.format, .huggingFaceFolder)
        XCTAssertEqual(encoder.url, cache.appendingPathComponent("all-MiniLM-L6-v2"))
    }

    func testPathsFoldersAndHuggingFaceIDs() throws {
        let root = try LoadingTestPaths.scratchFolder()
        let registry = ModelRegistry(cacheDirectory: root.appendingPathComponent("cache"),
                                     huggingFaceHome: root.appendingPathComponent("hf"))
        let gguf = root.appendingPathComponent("m.gguf")
        try LoadingTestPaths.write("GGUF", to: gguf)
        XCTAssertEqual(try registry.resolve(gguf.path), ModelLocation(reference: gguf.path, url: gguf, format: .gguf))
        let folder = root.appendingPathComponent("folder")
        try LoadingTestPaths.write("{}", to: folder.appendingPathComponent("config.json"))
        XCTAssertEqual(try registry.resolve(folder.path).format, .huggingFaceFolder)

        // An HF id: refs/main picks the snapshot.
        let repo = root.appendingPathComponent("hf/hub/models--Org--Tiny-Model")
        for revision in ["aaa111", "bbb222"] {
            try LoadingTestPaths.write("{}", to: repo.appendingPathComponent("snapshots/\(revision)/config.json"))
        }
        try LoadingTestPaths.write("aaa111\n", to: repo.appendingPathComponent("refs/main"))
        let resolved = try registry.resolve("Org/Tiny-Model")
        XCTAssertEqual(resolved.format, .huggingFaceFolder)
        XCTAssertEqual(resolved.url.lastPathComponent, "aaa111")

        XCTAssertThrowsError(try registry.resolve("Org/Missing")) { error in
            guard case let .notFound(reference, tried, command)? = error as? ModelLoadingError else { return XCTFail("\(error)") }
            XCTAssertEqual(reference, "Org/Missing")
            XCTAssertTrue(tried.contains { $0.contains("models--Org--Missing") })
            XCTAssertEqual(command, "make models")
        }
    }

    func testTheRealCacheHoldsTheDefaultModels() throws {
        let registry = ModelRegistry()
        let gguf = registry.url(for: ModelRegistry.entry(named: ModelRegistry.defaultModelName)!)
        try XCTSkipUnless(FileManager.default.fileExists(atPath: gguf.path), "run `make models` first")
        XCTAssertEqual(try registry.resolve(ModelRegistry.defaultModelName).format, .gguf)
        let encoder = try HuggingFaceFolder(url: registry.resolve(ModelRegistry.defaultEncoderName).url)
        let config = try encoder.config()
        XCTAssertEqual(config.modelType, "bert")
        XCTAssertEqual(config.hiddenSize, 384)
        XCTAssertEqual(config.layerNormEpsilon, 1e-12)
        XCTAssertEqual(try encoder.tokenizerConfig()?.unknownToken, "[UNK]")
        XCTAssertEqual(try encoder.checkpoint().info(named: "embeddings.word_embeddings.weight")?.shape, [30522, 384])
        XCTAssertNotNil(encoder.tokenizerURL)

        let settings = try ChatTemplateSettings.load(from: registry.resolve(ModelRegistry.defaultModelName))
        let fixture = try LoadingTestPaths.json(LoadingTestPaths.sharedFixtures.appendingPathComponent("tokenizer_smollm2.json"))
        let tokenizer = try XCTUnwrap(fixture["tokenizer"] as? [String: Any])
        XCTAssertEqual(settings.template, tokenizer["chat_template"] as? String)
        XCTAssertEqual(settings.bosToken, tokenizer["bos_token"] as? String)
        XCTAssertEqual(settings.eosToken, tokenizer["eos_token"] as? String)
    }
}
