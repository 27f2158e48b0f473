import Foundation

/// Resolves a model reference to files on disk: a registry name (`SmolLM2-135M-Instruct`), a
/// `.gguf` path, a Hugging Face folder, or an HF id `ORG/NAME` present in the local HF cache.
///
/// The cache folder is `$SWIFT_GRPO_MODELS`, or `~/.cache/swift-grpo/models`; `make models`
/// fills it. Nothing is ever fetched at run time.
public struct ModelRegistry: Sendable {
    /// A model the project knows by name, and where it lives inside the cache folder.
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var relativePath: String
        public var format: ModelLocation.Format
    }

    /// The command that fills the model cache.
    public static let fetchCommand = "make models"
    /// The default chat model.
    public static let defaultModelName = "SmolLM2-135M-Instruct"
    /// The default sentence encoder.
    public static let defaultEncoderName = "all-MiniLM-L6-v2"
    /// Google's Gemma 3 270M base model (Q4_K_M; no chat template: pass one by name to chat).
    public static let gemma3ModelName = "gemma-3-270m"

    /// The models known by name.
    public static let entries: [Entry] = [
        Entry(name: defaultModelName, relativePath: "SmolLM2-135M-Instruct.Q4_1.gguf", format: .gguf),
        Entry(name: defaultEncoderName, relativePath: "all-MiniLM-L6-v2", format: .huggingFaceFolder),
        Entry(name: gemma3ModelName, relativePath: "gemma-3-270m-q4_k_m.gguf", format: .gguf),
    ]

    /// The registry names.
    public static var names: [String] { entries.map(\.name) }

    /// The folder holding registry models.
    public var cacheDirectory: URL
    /// The Hugging Face home (`$HF_HOME`, default `~/.cache/huggingface`); its `hub/` is searched for ids.
    public var huggingFaceHome: URL

    /// A registry reading `SWIFT_GRPO_MODELS` and `HF_HOME` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        if let models = environment["SWIFT_GRPO_MODELS"], !models.isEmpty {
            cacheDirectory = URL(fileURLWithPath: (models as NSString).expandingTildeInPath)
        } else {
            cacheDirectory = home.appendingPathComponent(".cache/swift-grpo/models")
        }
        if let hf = environment["HF_HOME"], !hf.isEmpty {
            huggingFaceHome = URL(fileURLWithPath: (hf as NSString).expandingTildeInPath)
        } else {
            huggingFaceHome = home.appendingPathComponent(".cache/huggingface")
        }
    }

    /// A registry with explicit folders.
    public init(cacheDirectory: URL, huggingFaceHome: URL) {
        self.cacheDirectory = cacheDirectory
        self.huggingFaceHome = huggingFaceHome
    }

    /// The registry entry called `name` (case-insensitive), if any.
    public static func entry(named name: String) -> Entry? {
        entries.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Where a registry model's file or folder lives (whether or not it exists yet).
    public func url(for entry: Entry) -> URL {
        cacheDirectory.appendingPathComponent(entry.relativePath)
    }

    /// Resolves `reference` to an existing model, or throws a `ModelLoadingError` that names the
    /// command fetching the registry models.
    public func resolve(_ reference: String) throws -> ModelLocation {
        let fileManager = FileManager.default
        var tried = [String]()

        if let entry = Self.entry(named: reference) {
            let url = url(for: entry)
            guard fileManager.fileExists(atPath: url.path) else {
                throw ModelLoadingError.notInCache(name: entry.name, expectedPath: url.path,
                                                   fetchCommand: Self.fetchCommand)
            }
            return ModelLocation(reference: reference, url: url, format: entry.format)
        }

        let expanded = (reference as NSString).expandingTildeInPath
        if let location = ModelLocation(existingPath: URL(fileURLWithPath: expanded).standardizedFileURL, reference: reference) {
            return location
        }
        tried.append(expanded)

        if let location = try resolveHuggingFaceID(reference, tried: &tried) {
            return location
        }
        // A bare name may also be a folder or .gguf file inside the cache.
        for candidate in [reference, reference + ".gguf"] {
            let url = cacheDirectory.appendingPathComponent(candidate)
            if let location = ModelLocation(existingPath: url, reference: reference) { return location }
            tried.append(url.path)
        }
        throw ModelLoadingError.notFound(reference: reference, tried: tried, fetchCommand: Self.fetchCommand)
    }

    /// `ORG/NAME` → `$HF_HOME/hub/models--ORG--NAME/snapshots/<rev>/`, preferring the revision
    /// named by `refs/main`, else the most recently modified snapshot.
    private func resolveHuggingFaceID(_ reference: String, tried: inout [String]) throws -> ModelLocation? {
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !reference.hasPrefix(".") else { return nil }
        let repo = huggingFaceHome.appendingPathComponent("hub/models--\(parts[0])--\(parts[1])")
        let snapshots = repo.appendingPathComponent("snapshots")
        tried.append(snapshots.path + "/<revision>")
        let fileManager = FileManager.default
        if let main = try? String(contentsOf: repo.appendingPathComponent("refs/main"), encoding: .utf8) {
            let revision = main.trimmingCharacters(in: .whitespacesAndNewlines)
            let url = snapshots.appendingPathComponent(revision)
            if !revision.isEmpty, fileManager.fileExists(atPath: url.path) {
                return ModelLocation(reference: reference, url: url, format: .huggingFaceFolder)
            }
        }
        guard let revisions = try? fileManager.contentsOfDirectory(
            at: snapshots, includingPropertiesForKeys: [.contentModificationDateKey]) else { return nil }
        let newest = revisions.max { a, b in
            let da = (try? a.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast
            let db = (try? b.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast
            return (da, a.lastPathComponent) < (db, b.lastPathComponent)
        }
        return newest.map { ModelLocation(reference: reference, url: $0, format: .huggingFaceFolder) }
    }
}
