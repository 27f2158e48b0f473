import Foundation
import Tensor
import XCTest

/// Paths the file-format tests read: the shared fixtures and the model cache.
enum FileTestPaths {
    /// `$SWIFT_GRPO_FIXTURES`, default `../shared/fixtures` relative to the package root.
    static var sharedFixtures: URL {
        if let path = ProcessInfo.processInfo.environment["SWIFT_GRPO_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent("../shared/fixtures").standardizedFileURL
    }

    /// The package's own `Tests/Fixtures`.
    static var packageFixtures: URL { packageRoot.appendingPathComponent("Tests/Fixtures") }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `$SWIFT_GRPO_MODELS` or `~/.cache/swift-grpo/models`.
    static var modelCache: URL {
        if let path = ProcessInfo.processInfo.environment["SWIFT_GRPO_MODELS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/swift-grpo/models")
    }

    static var defaultGGUF: URL { modelCache.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf") }

    static func json(_ url: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }

    /// This process's scratch folder; `FileFormatTestCase` removes it after each test.
    static let scratchDirectory = FileManager.default.temporaryDirectory
        .appendingPathComponent("swift-grpo-files-\(ProcessInfo.processInfo.processIdentifier)")

    /// A fresh temporary file path with `suffix` in the scratch folder; the caller writes it.
    static func temporaryFile(_ suffix: String) -> URL {
        try? FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)
        return scratchDirectory.appendingPathComponent("\(UUID().uuidString)\(suffix)")
    }
}

/// Base class of the file-format tests: removes the files a test wrote.
class FileFormatTestCase: XCTestCase {
    override func tearDown() {
        try? FileManager.default.removeItem(at: FileTestPaths.scratchDirectory)
        super.tearDown()
    }
}

/// Builds small GGUF files byte by byte, so tests can make valid and deliberately corrupt ones.
struct GGUFBuilder {
    var version: UInt32 = 3
    var alignment = 32
    var metadata: [(key: String, type: UInt32, payload: [UInt8])] = []
    var tensors: [(name: String, ne: [UInt64], type: UInt32, data: [UInt8])] = []
    /// Overrides the offset written for tensor i (to build misaligned or overlapping files).
    var offsetOverride: [Int: UInt64] = [:]
    var tensorCountOverride: UInt64?

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        withUnsafeBytes(of: v.littleEndian) { Array($0) }
    }

    static func string(_ s: String) -> [UInt8] { le(UInt64(s.utf8.count)) + Array(s.utf8) }

    mutating func add(_ key: String, uint32 v: UInt32) { metadata.append((key, 4, Self.le(v))) }
    mutating func add(_ key: String, string s: String) { metadata.append((key, 8, Self.string(s))) }
    mutating func add(_ key: String, float32 f: Float) { metadata.append((key, 6, Self.le(f.bitPattern))) }
    mutating func add(_ key: String, bool b: Bool) { metadata.append((key, 7, [b ? 1 : 0])) }
    mutating func add(_ key: String, rawType: UInt32, payload: [UInt8]) { metadata.append((key, rawType, payload)) }
    mutating func add(_ key: String, strings: [String]) {
        metadata.append((key, 9, Self.le(UInt32(8)) + Self.le(UInt64(strings.count)) + strings.flatMap(Self.string)))
    }

    mutating func addTensor(_ name: String, ne: [Int], type: GGMLType, data: [UInt8]) {
        tensors.append((name, ne.map(UInt64.init), type.rawValue, data))
    }

    mutating func addTensor(_ name: String, ne: [Int], rawType: UInt32, data: [UInt8]) {
        tensors.append((name, ne.map(UInt64.init), rawType, data))
    }

    func bytes() -> [UInt8] {
        var out = Array("GGUF".utf8) + Self.le(version)
        out += Self.le(tensorCountOverride ?? UInt64(tensors.count)) + Self.le(UInt64(metadata.count))
        for kv in metadata { out += Self.string(kv.key) + Self.le(kv.type) + kv.payload }
        var offset: UInt64 = 0
        var offsets = [UInt64]()
        for (i, t) in tensors.enumerated() {
            let written = offsetOverride[i] ?? offset
            offsets.append(written)
            out += Self.string(t.name) + Self.le(UInt32(t.ne.count))
            for n in t.ne { out += Self.le(n) }
            out += Self.le(t.type) + Self.le(written)
            offset += UInt64((t.data.count + alignment - 1) / alignment * alignment)
        }
        let dataStart = (out.count + alignment - 1) / alignment * alignment
        out += [UInt8](repeating: 0, count: dataStart - out.count)
        for (t, o) in zip(tensors, offsets) where o < 1 << 24 {
            let end = dataStart + Int(o) + t.data.count
            if out.count < end { out += [UInt8](repeating: 0, count: end - out.count) }
            out.replaceSubrange(dataStart + Int(o)..<end, with: t.data)
        }
        return out
    }

    /// Writes the file and returns its URL.
    func write(_ bytes: [UInt8]? = nil) throws -> URL {
        let url = FileTestPaths.temporaryFile(".gguf")
        try Data(bytes ?? self.bytes()).write(to: url)
        return url
    }
}

extension Array where Element == Float {
    var littleEndianBytes: [UInt8] { flatMap { GGUFBuilder.le($0.bitPattern) } }
}
