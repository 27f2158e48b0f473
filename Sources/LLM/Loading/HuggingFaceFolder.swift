import Foundation
import Tensor
import TextFormats

/// A Hugging Face model folder: `config.json`, weights in `model.safetensors` or shards listed
/// by `model.safetensors.index.json`, `tokenizer.json`, `tokenizer_config.json`,
/// `generation_config.json`.
public struct HuggingFaceFolder: Sendable {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"
    public static let shardIndexFile = "model.safetensors.index.json"
    public static let tokenizerFile = "tokenizer.json"
    public static let tokenizerConfigFile = "tokenizer_config.json"
    public static let generationConfigFile = "generation_config.json"
    /// Newer transformers versions save the chat template beside tokenizer_config.json.
    public static let chatTemplateFile = "chat_template.jinja"

    public let url: URL

    /// A folder at `url`; throws when it does not exist.
    public init(url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelLoadingError.notFound(reference: url.path, tried: [url.path], fetchCommand: ModelRegistry.fetchCommand)
        }
        self.url = url
    }

    /// The URL of `name` inside the folder, when that file exists.
    public func file(_ name: String) -> URL? {
        let file = url.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }

    private func requireFile(_ name: String) throws -> URL {
        guard let file = file(name) else { throw ModelLoadingError.missingFile(folder: url.path, file: name) }
        return file
    }

    /// `config.json`, typed but tolerant.
    public func config() throws -> HuggingFaceConfig {
        try HuggingFaceConfig(contentsOf: requireFile(Self.configFile))
    }

    /// `tokenizer.json`'s location, when present.
    public var tokenizerURL: URL? { file(Self.tokenizerFile) }

    /// `chat_template.jinja`'s location, when present.
    public var chatTemplateURL: URL? { file(Self.chatTemplateFile) }

    /// `tokenizer_config.json`, or nil when the folder has none. A separate `chat_template.jinja`
    /// supplies the template when the config lacks one.
    public func tokenizerConfig() throws -> TokenizerConfig? {
        var config = try file(Self.tokenizerConfigFile).map(TokenizerConfig.init(contentsOf:))
        if let templateURL = file(Self.chatTemplateFile), config?.chatTemplate == nil {
            let template = try String(contentsOf: templateURL, encoding: .utf8)
            if config == nil { config = TokenizerConfig() }
            config?.chatTemplate = template
        }
        return config
    }

    /// `generation_config.json`, or nil when absent.
    public func generationConfig() throws -> GenerationConfig? {
        try file(Self.generationConfigFile).map(GenerationConfig.init(contentsOf:))
    }

    /// The safetensors files holding the weights: `model.safetensors`, or every shard named in
    /// `model.safetensors.index.json` (each once, in index order), or a lone `*.safetensors`.
    public func weightFiles() throws -> [URL] {
        if let single = file(Self.weightsFile) { return [single] }
        if let index = file(Self.shardIndexFile) { return try ShardIndex(url: index, folder: url).shardURLs }
        let candidates = (try? FileManager.default.contentsOfDirectory(atPath: url.path))?
            .filter { $0.hasSuffix(".safetensors") }.sorted() ?? []
        if candidates.count == 1 { return [url.appendingPathComponent(candidates[0])] }
        throw ModelLoadingError.missingFile(folder: url.path, file: "\(Self.weightsFile) or \(Self.shardIndexFile)")
    }

    /// Opens every weight file as one checkpoint.
    public func checkpoint() throws -> SafetensorsCheckpoint {
        if let index = file(Self.shardIndexFile), file(Self.weightsFile) == nil {
            return try SafetensorsCheckpoint(index: ShardIndex(url: index, folder: url))
        }
        return try SafetensorsCheckpoint(files: weightFiles())
    }
}

/// `model.safetensors.index.json`: which shard holds each tensor.
public struct ShardIndex: Sendable {
    /// Tensor name → shard file URL.
    public let weightMap: [String: URL]
    /// The distinct shards, in order of first appearance in the sorted tensor names.
    public let shardURLs: [URL]

    /// Reads the index at `url`; shard names resolve inside `folder` and must exist.
    public init(url: URL, folder: URL) throws {
        let json = try ConfigFile.object(at: url)
        guard let map = json["weight_map"]?.objectValue, !map.isEmpty else {
            throw ModelLoadingError.invalidShardIndex(path: url.path, detail: "it has no weight_map")
        }
        var weightMap = [String: URL]()
        var shards = [URL]()
        var seen = Set<String>()
        for name in map.keys.sorted() {
            guard let shard = map[name]?.stringValue, !shard.isEmpty, !shard.contains("/"), !shard.hasPrefix(".") else {
                throw ModelLoadingError.invalidShardIndex(path: url.path, detail: "tensor '\(name)' names no valid shard file")
            }
            let shardURL = folder.appendingPathComponent(shard)
            if seen.insert(shard).inserted {
                guard FileManager.default.fileExists(atPath: shardURL.path) else {
                    throw ModelLoadingError.invalidShardIndex(path: url.path, detail: "shard \(shard) is missing")
                }
                shards.append(shardURL)
            }
            weightMap[name] = shardURL
        }
        self.weightMap = weightMap
        shardURLs = shards
    }
}

/// The tensors of one or more safetensors files, looked up by name.
public final class SafetensorsCheckpoint: @unchecked Sendable {
    /// The opened files, in order.
    public let files: [SafetensorsFile]
    private let owner: [String: Int]

    /// Opens `files`; a tensor name may appear in only one of them.
    public init(files urls: [URL]) throws {
        var files = [SafetensorsFile]()
        var owner = [String: Int]()
        for url in urls {
            let file = try SafetensorsFile(url: url)
            for name in file.names {
                if let other = owner[name] {
                    throw ModelLoadingError.invalidShardIndex(
                        path: url.path, detail: "tensor '\(name)' is also in \(files[other].path)")
                }
                owner[name] = files.count
            }
            files.append(file)
        }
        self.files = files
        self.owner = owner
    }

    /// Opens the shards of `index` and checks every indexed tensor is in its shard.
    public convenience init(index: ShardIndex) throws {
        try self.init(files: index.shardURLs)
        for (name, url) in index.weightMap {
            guard let file = file(containing: name), file.path == url.path else {
                throw ModelLoadingError.invalidShardIndex(
                    path: url.path, detail: "the index puts tensor '\(name)' in \(url.lastPathComponent), which lacks it")
            }
        }
    }

    /// Every tensor name, sorted.
    public var names: [String] { owner.keys.sorted() }

    /// The file holding `name`, or nil.
    public func file(containing name: String) -> SafetensorsFile? {
        owner[name].map { files[$0] }
    }

    /// The entry of tensor `name`, or nil.
    public func info(named name: String) -> SafetensorsTensorInfo? {
        file(containing: name)?.info(named: name)
    }

    /// Tensor `name` as a Float32 `Tensor`.
    public func tensor(named name: String) throws -> Tensor {
        guard let file = file(containing: name) else {
            throw SafetensorsError.tensorNotFound(name: name, path: files.map(\.path).joined(separator: ", "))
        }
        return try file.tensor(named: name)
    }
}
