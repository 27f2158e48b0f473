import Foundation
import LLM
import Tensor
import XCTest

/// Files that cannot give a tokenizer fail with a typed error that says what to do.
final class TokenizerErrorTests: XCTestCase {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenizer-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func assertThrows(_ expected: TokenizerError, _ body: () throws -> Void,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? TokenizerError, expected, file: file, line: line)
            XCTAssertFalse(String(describing: error).isEmpty)
        }
    }

    func testFolderWithoutTokenizerJSON() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("tokenizer.json").path
        assertThrows(.missingFile(path: path)) { _ = try Tokenizers.load(fromFolder: folder) }
    }

    func testMalformedTokenizerJSON() throws {
        XCTAssertThrowsError(try Tokenizers.load(tokenizerJSON: Data("{not json".utf8))) { error in
            guard case .invalidJSON = error as? TokenizerError else { return XCTFail("\(error)") }
        }
        assertThrows(.missingField("model", in: "tokenizer.json")) {
            _ = try Tokenizers.load(tokenizerJSON: Data(#"{"normalizer": null}"#.utf8))
        }
        assertThrows(.unsupportedComponent(kind: "model", type: "Unigram")) {
            _ = try Tokenizers.load(tokenizerJSON: Data(#"{"model": {"type": "Unigram", "vocab": [["a", 0.0]]}}"#.utf8))
        }
        assertThrows(.unsupportedComponent(kind: "pre-tokenizer", type: "Mystery")) {
            _ = try Tokenizers.load(tokenizerJSON: Data(
                #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Mystery"}}"#.utf8))
        }
    }

    func testGGUFWithoutVocabulary() throws {
        let url = TokenizerTestSupport.sharedFixtures.appendingPathComponent("tiny_models/llama/tiny-llama-F32.gguf")
        let file = try GGUFFile(url: url)
        assertThrows(.noVocabulary(path: file.path)) { _ = try Tokenizers.load(fromGGUF: file) }
    }

    func testMissingPath() {
        assertThrows(.missingFile(path: "/nonexistent/model.gguf")) {
            _ = try Tokenizers.load(from: URL(fileURLWithPath: "/nonexistent/model.gguf"))
        }
    }
}
