import Foundation

/// One reader of untrusted input under test: where its seeds come from, how inputs are mutated,
/// and what is done with each input. `run` may throw any error (a rejected input is the
/// expected outcome); the only failures are a signal, an abort or a hang.
struct FuzzTarget {
    var name: String
    var summary: String
    /// The seeds, built once per process (reading real files where they exist).
    var seeds: (FuzzSeedSources) -> [FuzzSeed]
    /// Mutates a copy of a seed in place, appending what it did to the log.
    var mutate: (inout [UInt8], FuzzSeed, inout FuzzRandom, inout [String]) -> Void
    /// Feeds one input to the reader (and to whatever consumes its result).
    var run: (FuzzInput, FuzzScratch) throws -> Void
}

/// Where real seed files are looked for.
struct FuzzSeedSources {
    /// `SWIFT_GRPO_FIXTURES` (the shared fixtures: tiny models, tokenizer samples).
    var fixtures: URL?
    /// Folders given with `--seeds` (the repository's Tests/Fixtures, say).
    var extraFolders: [URL]
    /// The model cache (the default GGUF, the sentence encoder).
    var modelCache: URL

    /// Files with any of these name suffixes under the fixtures, the model cache and the
    /// extra folders (two levels deep), largest last.
    func files(endingWith suffixes: [String]) -> [URL] {
        var found: [URL] = []
        for root in [fixtures, modelCache].compactMap({ $0 }) + extraFolders {
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey]) else { continue }
            for case let url as URL in walker where walker.level <= 3 {
                if suffixes.contains(where: { url.lastPathComponent.hasSuffix($0) }) { found.append(url) }
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    static func bytes(_ url: URL) -> [UInt8]? {
        (try? Data(contentsOf: url)).map { [UInt8]($0) }
    }
}

/// A per-process scratch folder (on tmpfs when there is one) where inputs become files.
final class FuzzScratch {
    let folder: URL

    init() throws {
        folder = Self.folder(forProcess: getpid())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// The scratch folder of process `pid` (the driver removes a dead worker's).
    static func folder(forProcess pid: Int32) -> URL {
        let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm")
            : FileManager.default.temporaryDirectory
        return base.appendingPathComponent("swift-grpo-fuzz-\(pid)")
    }

    /// Writes `bytes` to `name` in the scratch folder (or a subfolder) and returns its path;
    /// with `paddedSize` the file is extended with zeros (sparse, so it costs nothing).
    @discardableResult
    func write(_ bytes: [UInt8], as name: String, paddedSize: Int? = nil) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        if let paddedSize, paddedSize > bytes.count { truncate(url.path, off_t(paddedSize)) }
        return url
    }

    /// A fresh empty subfolder.
    func emptyFolder(_ name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
