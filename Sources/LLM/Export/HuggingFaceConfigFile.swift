import Foundation
import Tensor

/// config.json of an exported Hugging Face folder: the source folder's own, with its dtype set,
/// or one built from a GGUF base's config (llama and qwen2).
enum HuggingFaceConfigFile {
    static func object(for merged: MergedModel, dtype: SafetensorsDType) throws -> [String: Any] {
        let dtypeName: String
        switch dtype {
        case .float16: dtypeName = "float16"
        case .bfloat16: dtypeName = "bfloat16"
        default: dtypeName = "float32"
        }
        var object: [String: Any]
        switch merged.source.contents {
        case let .huggingFaceFolder(folder):
            let url = folder.url.appendingPathComponent(HuggingFaceFolder.configFile)
            guard let data = FileManager.default.contents(atPath: url.path),
                  let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw ExportError.missingWeight(name: HuggingFaceFolder.configFile, source: folder.url.path)
            }
            object = json
        case .gguf:
            object = try built(merged.config)
        }
        object["torch_dtype"] = dtypeName
        object["dtype"] = dtypeName
        return object
    }

    /// A transformers config for a llama or qwen2 model read from GGUF.
    static func built(_ config: TransformerConfig) throws -> [String: Any] {
        let (architecture, modelType): (String, String)
        switch config.family {
        case .llama: (architecture, modelType) = ("LlamaForCausalLM", "llama")
        case .qwen2: (architecture, modelType) = ("Qwen2ForCausalLM", "qwen2")
        default: throw ExportError.unsupportedArchitecture(family: "\(config.family)", format: "a Hugging Face config built from GGUF")
        }
        // Float32 settings written through their shortest decimal form (1e-05, not 9.99e-06).
        func decimal(_ value: Float) -> Double { Double("\(value)") ?? Double(value) }
        let theta = decimal(config.rotary[0].theta)
        var object: [String: Any] = [
            "architectures": [architecture] as [Any], "model_type": modelType,
            "hidden_size": config.hiddenSize, "intermediate_size": config.intermediateSize,
            "num_hidden_layers": config.layerCount, "num_attention_heads": config.headCount,
            "num_key_value_heads": config.kvHeadCount, "head_dim": config.headDim, "hidden_act": "silu",
            "max_position_embeddings": config.maxPositions, "rms_norm_eps": decimal(config.normEpsilon),
            "rope_theta": theta, "rope_parameters": ["rope_theta": theta, "rope_type": "default"] as [String: Any],
            "tie_word_embeddings": config.tiedEmbeddings, "vocab_size": config.vocabularySize,
            "attention_dropout": 0.0, "initializer_range": 0.02, "use_cache": true,
        ]
        if case let .linear(factor) = config.rotary[0].scaling {
            object["rope_parameters"] = ["rope_theta": theta, "rope_type": "linear", "factor": decimal(factor)] as [String: Any]
        }
        if config.family == .llama {
            object["attention_bias"] = false
            object["mlp_bias"] = false
        } else {
            object["use_sliding_window"] = false
        }
        if let bos = config.bosTokenID { object["bos_token_id"] = bos }
        if let eos = config.eosTokenIDs.first { object["eos_token_id"] = eos }
        return object
    }
}
