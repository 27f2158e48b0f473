import Foundation
import Tensor

/// The metadata of an exported model GGUF: a GGUF base's own entries carried over (minus what
/// describes the old tensors' storage), or llama.cpp's `<arch>.*` keys and tokenizer built from a
/// Hugging Face folder.
enum GGUFModelMetadata {
    /// Keys that describe the base file's storage, rewritten by the exporter.
    static let storageKeys: Set<String> = ["general.file_type", "general.quantization_version", "general.alignment"]

    static func entries(for merged: MergedModel, architecture: String) throws -> [(String, GGUFValue)] {
        switch merged.source.contents {
        case let .gguf(file):
            return file.metadataKeys.compactMap { key -> (String, GGUFValue)? in
                guard !storageKeys.contains(key), let value = file.metadata[key] else { return nil }
                return (key, value)
            }
        case let .huggingFaceFolder(folder):
            var entries = architectureEntries(merged.config, architecture: architecture,
                                              name: folder.url.lastPathComponent)
            entries += try GGUFTokenizerMetadata.entries(folder: folder, config: merged.config)
            return entries
        }
    }

    /// `general.*` and `<arch>.*` keys for `config`, as llama.cpp's converter writes them.
    static func architectureEntries(_ config: TransformerConfig, architecture: String, name: String) -> [(String, GGUFValue)] {
        let a = architecture
        var entries: [(String, GGUFValue)] = [
            ("general.architecture", .string(a)),
            ("general.type", .string("model")),
            ("general.name", .string(name)),
            ("\(a).block_count", .uint32(UInt32(config.layerCount))),
            ("\(a).context_length", .uint32(UInt32(config.maxPositions))),
            ("\(a).embedding_length", .uint32(UInt32(config.hiddenSize))),
            ("\(a).feed_forward_length", .uint32(UInt32(config.intermediateSize))),
            ("\(a).attention.head_count", .uint32(UInt32(config.headCount))),
            ("\(a).attention.head_count_kv", .uint32(UInt32(config.kvHeadCount))),
            ("\(a).rope.freq_base", .float32(config.rotary[0].theta)),
            ("\(a).attention.layer_norm_rms_epsilon", .float32(config.normEpsilon)),
            ("\(a).vocab_size", .uint32(UInt32(config.vocabularySize))),
            ("\(a).rope.dimension_count", .uint32(UInt32(config.rotaryDim))),
        ]
        if config.headDim * config.headCount != config.hiddenSize {
            entries.append(("\(a).attention.key_length", .uint32(UInt32(config.headDim))))
            entries.append(("\(a).attention.value_length", .uint32(UInt32(config.headDim))))
        }
        if case let .linear(factor) = config.rotary[0].scaling {
            entries.append(("\(a).rope.scaling.type", .string("linear")))
            entries.append(("\(a).rope.scaling.factor", .float32(factor)))
        }
        return entries
    }
}
