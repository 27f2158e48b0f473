import Foundation
import XCTest

/// Paths and scratch folders for the loading and template tests.
enum LoadingTestPaths {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `$SWIFT_GRPO_FIXTURES`, default `../shared/fixtures` relative to the package root.
    static var sharedFixtures: URL {
        if let path = ProcessInfo.processInfo.environment["SWIFT_GRPO_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent("../shared/fixtures").standardizedFileURL
    }

    static var packageFixtures: URL { packageRoot.appendingPathComponent("Tests/Fixtures") }

    static func json(_ url: URL) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }

    /// This process's scratch folder; `LoadingTestCase` removes it after each test.
    static let scratchRoot = FileManager.default.temporaryDirectory
        .appendingPathComponent("swift-grpo-loading-\(ProcessInfo.processInfo.processIdentifier)")

    /// A new empty folder in the scratch folder.
    static func scratchFolder() throws -> URL {
        let url = scratchRoot.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}

/// Base class of the loading tests: removes the folders a test made.
class LoadingTestCase: XCTestCase {
    override func tearDown() {
        try? FileManager.default.removeItem(at: LoadingTestPaths.scratchRoot)
        super.tearDown()
    }
}
