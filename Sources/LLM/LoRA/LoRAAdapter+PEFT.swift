import Foundation
import Tensor

/// Saving and loading adapters as PEFT folders: adapter_config.json and
/// adapter_model.safetensors with keys `base_model.model.<module>.lora_A.weight` [r, in] and
/// `….lora_B.weight` [out, r], loadable by `PeftModel.from_pretrained`.
extension LoRAAdapter {
    /// The safetensors file of a PEFT adapter folder.
    public static let weightsFileName = "adapter_model.safetensors"
    /// The config file of a PEFT adapter folder.
    public static let configFileName = PEFTAdapterConfig.fileName

    /// Writes the adapter to `folder`: the folder is written under a temporary name beside it and
    /// renamed into place, so readers never see half of it; files of an existing folder other than
    /// the adapter's two are kept.
    /// `baseModel` becomes `base_model_name_or_path`; `dtype` is F32, F16 or BF16.
    public func save(to folder: URL, baseModel: String, dtype: SafetensorsDType = .float32) throws {
        guard [.float32, .float16, .bfloat16].contains(dtype) else {
            throw LoRAError.writeFailed(path: folder.path, reason: "adapters are stored as F32, F16 or BF16, not \(dtype.rawValue)")
        }
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        for (name, tensor) in namedParameters { try writer.add(name, tensor: tensor, as: dtype) }
        let configData = try PEFTAdapterConfig.encoded(config, baseModel: baseModel)
        try AtomicFolder.write(folder) { temporary in
            try configData.write(to: temporary.appendingPathComponent(LoRAAdapter.configFileName))
            try writer.write(to: temporary.appendingPathComponent(LoRAAdapter.weightsFileName))
        }
    }

    /// Reads a PEFT LoRA folder made for `network`'s architecture and size. Every problem is an
    /// error naming it: missing files, options this engine lacks (DoRA, trained biases,
    /// fan_in_fan_out, rank or alpha patterns, modules_to_save), target modules the model lacks,
    /// missing or extra tensors, wrong shapes, and — when `expectedBaseModel` is given — an
    /// adapter trained on another base model (names compared without owner, extension or
    /// quantization suffix: `HuggingFaceTB/SmolLM2-135M-Instruct` fits
    /// `SmolLM2-135M-Instruct.Q4_1.gguf`). The adapter is not attached.
    public static func load(from folder: URL, for network: CausalLanguageModel,
                            expectedBaseModel: String? = nil) throws -> LoRAAdapter {
        let configURL = folder.appendingPathComponent(configFileName)
        let weightsURL = folder.appendingPathComponent(weightsFileName)
        for url in [configURL, weightsURL] where !FileManager.default.fileExists(atPath: url.path) {
            throw LoRAError.missingFile(path: url.path)
        }
        let file = try PEFTAdapterConfig(contentsOf: configURL)
        if let expectedBaseModel, let adapterBase = file.baseModel,
           !isSameBaseModel(adapterBase, expectedBaseModel) {
            throw LoRAError.baseModelMismatch(adapterBase: adapterBase, model: expectedBaseModel, path: configURL.path)
        }
        let config = LoRAConfig(rank: file.rank, alpha: file.alpha, dropout: file.dropout,
                                targetModules: try targetNames(file.targets, in: network.projections),
                                useRSLoRA: file.useRSLoRA)
        let adapter = try zeros(for: network, config: config)

        let tensors = try SafetensorsFile(url: weightsURL)
        let path = weightsURL.path
        let expected = adapter.namedParameters
        let present = Set(tensors.names), wanted = Set(expected.map(\.name))
        let missing = expected.map(\.name).filter { !present.contains($0) }
        guard missing.isEmpty else { throw LoRAError.missingTensors(names: missing, path: path) }
        let unexpected = tensors.names.filter { !wanted.contains($0) }.sorted()
        guard unexpected.isEmpty else { throw LoRAError.unexpectedTensors(names: unexpected, path: path) }
        for (name, parameter) in expected {
            let info = try tensors.requireInfo(named: name)
            guard info.shape == parameter.shape else {
                throw LoRAError.wrongShape(name: name, expected: parameter.shape, actual: info.shape, path: path)
            }
            let values = try tensors.tensor(named: name)
            parameter.withUnsafeMutableBufferPointer { target in
                values.withUnsafeBufferPointer { _ = target.update(fromContentsOf: $0) }
            }
        }
        return adapter
    }

    /// PEFT's string form of target_modules: "all-linear" (every projection) or a regular
    /// expression matched against whole module paths; list forms pass through.
    private static func targetNames(_ targets: PEFTAdapterConfig.Targets, in registry: ProjectionRegistry) throws -> [String] {
        switch targets {
        case let .names(names):
            return names
        case let .pattern(pattern) where pattern == "all-linear":
            return registry.shortNames
        case let .pattern(pattern):
            guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$") else {
                throw LoRAError.invalidConfig("target_modules \"\(pattern)\" is not a valid regular expression")
            }
            let matched = registry.names.filter {
                regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil
            }
            guard !matched.isEmpty else {
                throw LoRAError.unknownTargetModules(names: [pattern], available: registry.shortNames)
            }
            return matched
        }
    }

    /// Whether two base model references name the same model, ignoring the owner
    /// (`HuggingFaceTB/`), letter case, a file extension and a quantization suffix (`.Q4_1`).
    public static func isSameBaseModel(_ first: String, _ second: String) -> Bool {
        func key(_ reference: String) -> String {
            var name = (reference.split(separator: "/").last.map(String.init) ?? reference).lowercased()
            for suffix in [".gguf", ".safetensors"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
            if let range = name.range(of: #"[.\-_](q\d[a-z0-9_]*|iq\d[a-z0-9_]*|f16|f32|bf16|fp16)$"#,
                                      options: .regularExpression) {
                name.removeSubrange(range)
            }
            return name
        }
        let a = key(first), b = key(second)
        return a.isEmpty || b.isEmpty || a == b
    }
}
