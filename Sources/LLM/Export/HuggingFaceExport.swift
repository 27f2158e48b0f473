import Foundation
import Tensor

/// Writes a merged model as a Hugging Face folder that `AutoModelForCausalLM.from_pretrained`
/// and our own loader read: config.json, model.safetensors (F32, F16 or BF16; transformers' key
/// names and shapes, Q/K rows in Hugging Face order), tokenizer.json, tokenizer_config.json with
/// the chat template, and generation_config.json. The folder appears all at once.
public enum HuggingFaceExport {
    /// The dtypes a merged folder can be written in.
    public static let dtypes: [SafetensorsDType] = [.float32, .float16, .bfloat16]

    /// Files of a Hugging Face source folder carried over unchanged.
    static let carriedFiles = [
        HuggingFaceFolder.tokenizerFile, HuggingFaceFolder.tokenizerConfigFile, HuggingFaceFolder.chatTemplateFile,
        HuggingFaceFolder.generationConfigFile, "special_tokens_map.json", "vocab.json", "merges.txt", "tokenizer.model",
    ]

    /// Writes `merged` into `folder`, all at once (files of an existing folder that the export does
    /// not write are kept).
    public static func write(_ merged: MergedModel, to folder: URL, dtype: SafetensorsDType = .bfloat16) throws {
        guard dtypes.contains(dtype) else {
            throw ExportError.unsupportedType(name: "model.safetensors", format: dtype.rawValue, supported: dtypes.map(\.rawValue))
        }
        var weights = SafetensorsWriter(metadata: ["format": "pt"])
        for name in merged.orderedNames {
            if name == "lm_head.weight", merged.config.tiedEmbeddings, merged.tensors["model.embed_tokens.weight"] != nil { continue }
            guard let tensor = merged.tensors[name] else { continue }
            try weights.add(name, tensor: tensor, as: dtype)
        }
        var jsonFiles: [String: Any] = [HuggingFaceFolder.configFile: try HuggingFaceConfigFile.object(for: merged, dtype: dtype)]
        var copies: [URL] = []
        switch merged.source.contents {
        case let .gguf(file):
            for (name, object) in try HuggingFaceTokenizerFiles.files(gguf: file, config: merged.config) { jsonFiles[name] = object }
        case let .huggingFaceFolder(source):
            copies = carriedFiles.compactMap { source.file($0) }
        }
        if jsonFiles[HuggingFaceFolder.generationConfigFile] == nil,
           !copies.contains(where: { $0.lastPathComponent == HuggingFaceFolder.generationConfigFile }) {
            var generation: [String: Any] = ["_from_model_config": true]
            if let bos = merged.config.bosTokenID { generation["bos_token_id"] = bos }
            let eos = merged.config.eosTokenIDs
            if eos.count == 1 { generation["eos_token_id"] = eos[0] } else if !eos.isEmpty { generation["eos_token_id"] = eos }
            jsonFiles[HuggingFaceFolder.generationConfigFile] = generation
        }
        let encoded = try jsonFiles.mapValues { try JSONSerialization.data(withJSONObject: $0, options: [.prettyPrinted, .sortedKeys]) }
        do {
            try AtomicFolder.write(folder) { temporary in
                for (name, data) in encoded { try data.write(to: temporary.appendingPathComponent(name)) }
                for url in copies { try FileManager.default.copyItem(at: url, to: temporary.appendingPathComponent(url.lastPathComponent)) }
                try weights.write(to: temporary.appendingPathComponent(HuggingFaceFolder.weightsFile))
            }
        } catch let error as LoRAError {
            if case let .writeFailed(path, reason) = error { throw ExportError.writeFailed(path: path, reason: reason) }
            throw error
        }
    }
}
