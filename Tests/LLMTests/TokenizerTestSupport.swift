import Foundation
import LLM
import Tensor
import XCTest

/// Where tokenizer tests find fixtures and models.
enum TokenizerTestSupport {
    /// The package root (this file is Tests/LLMTests/…).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared fixture folder: `$SWIFT_GRPO_FIXTURES`, default `../shared/fixtures`.
    static var sharedFixtures: URL {
        if let path = ProcessInfo.processInfo.environment["SWIFT_GRPO_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent("../shared/fixtures").standardizedFileURL
    }

    /// The project's own fixtures, `Tests/Fixtures`.
    static let projectFixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// A JSON object from a fixture file.
    static func fixture(_ url: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: url)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The tokenizer of a registry model, failing with the command that fetches it.
    static func registryTokenizer(_ name: String) throws -> PreTrainedTokenizer {
        let location: ModelLocation
        do {
            location = try ModelRegistry().resolve(name)
        } catch {
            XCTFail("model \(name) is not in the model cache; run `make models` (\(error))")
            throw error
        }
        return try Tokenizers.load(from: location.url)
    }

    private static let lock = NSLock()
    private static var loaded: [String: PreTrainedTokenizer] = [:]

    /// `registryTokenizer(name)`, loaded once per test run.
    static func cachedTokenizer(_ name: String) throws -> PreTrainedTokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let tokenizer = loaded[name] { return tokenizer }
        let tokenizer = try registryTokenizer(name)
        loaded[name] = tokenizer
        return tokenizer
    }

    /// Concatenated output of a streaming decoder fed `ids` one at a time.
    static func streamed(_ tokenizer: Tokenizer, _ ids: [Int]) -> String {
        let decoder = tokenizer.streamingDecoder()
        var text = ""
        for id in ids { text += decoder.append(id) }
        return text + decoder.finish()
    }
}
