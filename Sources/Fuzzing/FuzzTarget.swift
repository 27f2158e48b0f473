import Foundation

/// One reader of untrusted input under test: where its seeds come from, how inputs are mutated,
/// and what is done with each input. `run` may throw any error (a rejected input is the
/// expected outcome); the only failures are a signal, an abort or a hang.
public struct FuzzTarget {
    public var name: String
    public var summary: String
    /// The seeds, built once per process (reading real files where they exist).
    var seeds: (FuzzSeedSources) -> [FuzzSeed]
    /// Mutates a copy of a seed in place, appending what it did to the log.
    var mutate: (inout [UInt8], FuzzSeed, inout FuzzRandom, inout [String]) -> Void
    /// Feeds one input to the reader (and to whatever consumes its result).
    public var run: (FuzzInput, FuzzScratch) throws -> Void
    /// The numeric fields of an input that is not one of the seeds (a libFuzzer corpus entry), for
    /// the structure-aware mutations that need them (GGUF's layout walk); none by default.
    var fieldsOf: ([UInt8]) -> [FuzzField] = { _ in [] }

    /// The seeds this target starts from.
    public func seeds(from sources: FuzzSeedSources) -> [FuzzSeed] { seeds(sources) }

    /// Mutates any input (not only a seed) with this target's structure-aware mutations, one to
    /// eight stacked, drawn from `randomSeed`: the libFuzzer harness's custom mutator.
    public func mutate(_ bytes: inout [UInt8], randomSeed: UInt64) {
        var rng = FuzzRandom(seed: randomSeed, index: 0)
        var log: [String] = []
        let rounds = 1 + rng.below(rng.chance(0.2) ? 8 : 2)
        for _ in 0..<rounds {
            let asSeed = FuzzSeed(name: "input", bytes: bytes, fields: fieldsOf(bytes))
            mutate(&bytes, asSeed, &rng, &log)
        }
    }
}

/// Where real seed files are looked for.
public struct FuzzSeedSources {
    /// `SWIFT_GRPO_FIXTURES` (the shared fixtures: tiny models, tokenizer samples).
    public var fixtures: URL?
    /// Folders given with `--seeds` (the repository's Tests/Fixtures, say).
    public var extraFolders: [URL]
    /// The model cache (the default GGUF, the sentence encoder).
    public var modelCache: URL

    public init(fixtures: URL?, extraFolders: [URL], modelCache: URL) {
        self.fixtures = fixtures
        self.extraFolders = extraFolders
        self.modelCache = modelCache
    }

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
public final class FuzzScratch {
    public let folder: URL

    public init() throws {
        folder = Self.folder(forProcess: getpid())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// The scratch folder of process `pid` (the driver removes a dead worker's).
    public static func folder(forProcess pid: Int32) -> URL {
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

    private var prepared: [String: URL] = [:]

    /// A subfolder set up once by `make` for `key` (files that do not depend on the input, such as
    /// the weights next to a mutated config) and reused by later inputs with the same key. Past 32
    /// keys (mutated paths) a fresh folder is set up each time.
    public func preparedFolder(for key: String, make: (URL) throws -> Void) throws -> URL {
        if let url = prepared[key] { return url }
        let url = try emptyFolder(prepared.count < 32 ? "prepared-\(prepared.count)" : "prepared-overflow")
        try make(url)
        if prepared.count < 32 { prepared[key] = url }
        return url
    }

    public func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
