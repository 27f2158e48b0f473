import Foundation
import LLM
import Tensor

/// Targets for model files: GGUF, safetensors, the config pair, and PEFT adapter folders.
/// Each input goes as far as a real load would: header, metadata, tokenizer, config, weights,
/// model and a forward pass on a few tokens (only for inputs small enough to be quick).
enum ModelFileTargets {
    /// Files larger than this are parsed but not turned into a model.
    static let modelBuildLimit = 2 << 20
    /// A large model's metadata arrays (vocabulary, scores, merges) are cut to this many entries.
    static let largeModelArrayLimit = 4096

    static let gguf = FuzzTarget(
        name: "gguf", summary: "GGUF parser, metadata, tokenizer, config, weights and a forward pass",
        seeds: { sources in
            var seeds: [FuzzSeed] = []
            if let bytes = try? BuiltinSeeds.gguf() {
                seeds.append(FuzzSeed(name: "builtin tiny llama (Q8_0, Q4_1, F32)", bytes: bytes, fields: GGUFLayout.fields(of: bytes), weight: 30))
            }
            for url in sources.files(endingWith: [".gguf"]) {
                guard let size = (try? url.resourceValues(forKeys: [.fileSizeKey]))?.fileSize else { continue }
                if size <= modelBuildLimit, let bytes = FuzzSeedSources.bytes(url) {
                    seeds.append(FuzzSeed(name: url.lastPathComponent, bytes: bytes, fields: GGUFLayout.fields(of: bytes), weight: 10))
                } else if let header = try? ggufHeader(url) {
                    // A large model: mutate its header; the data section is zeros of the same size.
                    // Its vocabulary arrays are cut to 4,096 entries: the same keys, types and
                    // tokenizer code, without rebuilding a 262,144-token tokenizer per input.
                    let cut = GGUFLayout.cuttingArrays(of: header, to: largeModelArrayLimit) ?? header
                    seeds.append(FuzzSeed(name: "\(url.lastPathComponent) (header, arrays cut to \(largeModelArrayLimit), data zeroed)",
                                          bytes: cut, fields: GGUFLayout.fields(of: cut), weight: 2,
                                          paddedSize: cut.count + size - header.count))
                }
            }
            return seeds
        },
        mutate: { bytes, seed, rng, log in
            if !seed.fields.isEmpty, rng.chance(0.55) {
                ByteMutator.setEdge(rng.pick(seed.fields), in: &bytes, rng: &rng, log: &log)
            } else {
                ByteMutator.mutate(&bytes, rng: &rng, log: &log)
            }
        },
        run: { input, scratch in
            let url = try scratch.write(input.bytes, as: "input.gguf", paddedSize: input.paddedSize)
            let file = try GGUFFile(url: url)
            for key in file.metadataKeys.prefix(64) {
                let value = file.metadata[key]
                _ = (value?.int, value?.double, value?.string, value?.intArray?.count, value?.floatArray?.count, value?.stringArray?.count)
            }
            let tokenizer = try? Tokenizers.load(fromGGUF: file)
            if let tokenizer {
                let ids = tokenizer.encode("Hello <|im_start|> wörld 123 🙂", addSpecialTokens: true)
                _ = tokenizer.decode(ids + [-1, 0, Int.max], skipSpecialTokens: false)
            }
            _ = try? ChatTemplateSettings(gguf: file, reference: url.path)
            let config = try TransformerConfig(gguf: file)
            guard file.fileSize <= modelBuildLimit else { return }
            for info in file.tensors where info.elementCount <= 1 << 16 {
                _ = try? file.dequantized(info)
            }
            let model = try CausalLanguageModel(config: config, weights: try ModelWeights(gguf: file, config: config))
            try forward(model)
        },
        fieldsOf: GGUFLayout.fields(of:))

    static let safetensors = FuzzTarget(
        name: "safetensors", summary: "safetensors header and tensors, then a model from them with each known config",
        seeds: { sources in
            var seeds: [FuzzSeed] = []
            if let bytes = try? BuiltinSeeds.safetensors() {
                seeds.append(FuzzSeed(name: "builtin tiny llama", bytes: bytes, fields: [FuzzField(offset: 0, width: 8, kind: .length)], weight: 30))
            }
            for url in sources.files(endingWith: [".safetensors"]) {
                guard let size = (try? url.resourceValues(forKeys: [.fileSizeKey]))?.fileSize, size <= modelBuildLimit,
                      let bytes = FuzzSeedSources.bytes(url) else { continue }
                seeds.append(FuzzSeed(name: url.path, bytes: bytes, fields: [FuzzField(offset: 0, width: 8, kind: .length)]))
            }
            return seeds
        },
        mutate: { bytes, seed, rng, log in
            mutateSafetensors(&bytes, rng: &rng, log: &log)
        },
        run: { input, scratch in
            let folder = try scratch.emptyFolder("safetensors")
            let url = try scratch.write(input.bytes, as: "safetensors/model.safetensors")
            let file = try SafetensorsFile(url: url)
            for info in file.tensors.prefix(64) where info.elementCount <= 1 << 18 {
                if info.dtype.isFloatingPoint { _ = try file.floats(named: info.name) } else { _ = try file.integers(named: info.name) }
                if info.dtype == .bool || info.dtype == .uint8 { _ = try file.bools(named: info.name) }
            }
            for config in knownConfigs() {
                try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
                _ = try? loadFolder(folder)
            }
        })

    /// The bytes before the tensor data of a (large) GGUF file.
    static func ggufHeader(_ url: URL) throws -> [UInt8] {
        let length = try GGUFFile(url: url).dataOffset
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        return [UInt8](try handle.read(upToCount: length) ?? Data())
    }

    /// `u64` header length (edge values), the JSON header mutated as text, or raw bytes.
    static func mutateSafetensors(_ bytes: inout [UInt8], rng: inout FuzzRandom, log: inout [String]) {
        let declared = FuzzBytes.load(bytes, at: 0, width: 8).map { Int(clamping: $0) } ?? 0
        if rng.chance(0.5), declared > 0, declared <= bytes.count - 8 {
            var header = Array(bytes[8..<(8 + declared)])
            TextMutator().mutate(&header, rng: &rng, log: &log)
            let keepLength = rng.chance(0.1)
            bytes = FuzzBytes.littleEndian(UInt64(keepLength ? declared : header.count)) + header + bytes[(8 + declared)...]
            if keepLength { log.append("kept the old header length") }
        } else if rng.chance(0.3) {
            ByteMutator.setEdge(FuzzField(offset: 0, width: 8, kind: .length), in: &bytes, rng: &rng, log: &log)
        } else {
            ByteMutator.mutate(&bytes, rng: &rng, log: &log)
        }
    }

    static let config = FuzzTarget(
        name: "config", summary: "config.json + generation_config.json through the folder loader to a forward pass",
        seeds: { sources in
            var seeds = [FuzzSeed(name: "builtin tiny llama configs",
                                  bytes: FuzzContainer.encode([Array(BuiltinSeeds.configJSON.utf8), Array(BuiltinSeeds.generationConfigJSON.utf8), Array("builtin".utf8)]),
                                  weight: 30)]
            for url in sources.files(endingWith: ["config.json"]) where url.lastPathComponent == "config.json" {
                let folder = url.deletingLastPathComponent()
                guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path),
                      let config = FuzzSeedSources.bytes(url),
                      let size = (try? folder.appendingPathComponent("model.safetensors").resourceValues(forKeys: [.fileSizeKey]))?.fileSize,
                      size <= modelBuildLimit else { continue }
                let generation = FuzzSeedSources.bytes(folder.appendingPathComponent("generation_config.json")) ?? Array("{}".utf8)
                seeds.append(FuzzSeed(name: folder.path, bytes: FuzzContainer.encode([config, generation, Array(folder.path.utf8)])))
            }
            return seeds
        },
        mutate: { bytes, seed, rng, log in
            var parts = FuzzContainer.decode(bytes)
            guard parts.count == 3 else { return ByteMutator.mutate(&bytes, rng: &rng, log: &log) }
            let which = rng.chance(0.75) ? 0 : 1
            TextMutator(dictionary: configSnippets).mutate(&parts[which], rng: &rng, log: &log)
            log.append("(in \(which == 0 ? "config.json" : "generation_config.json"))")
            bytes = FuzzContainer.encode(parts)
        },
        run: { input, scratch in
            let parts = FuzzContainer.decode(input.bytes)
            guard parts.count == 3 else { return }
            // The weights do not depend on the mutated configs: each source's file is written once
            // per process (a folder per source), and only the two configs are rewritten per input.
            let weights = String(decoding: parts[2], as: UTF8.self)
            let folder = try scratch.preparedFolder(for: "config weights " + weights) { folder in
                let safetensors = weights == "builtin" ? try BuiltinSeeds.cachedSafetensors()
                    : FuzzSeedSources.bytes(URL(fileURLWithPath: weights).appendingPathComponent("model.safetensors")) ?? []
                try Data(safetensors).write(to: folder.appendingPathComponent("model.safetensors"))
            }
            try Data(parts[0]).write(to: folder.appendingPathComponent("config.json"))
            try Data(parts[1]).write(to: folder.appendingPathComponent("generation_config.json"))
            _ = try? GenerationConfig(contentsOf: folder.appendingPathComponent("generation_config.json"))
            try loadFolder(folder)
        })

    static let configSnippets = [
        "\"num_hidden_layers\": 2147483647,", "\"num_hidden_layers\": -1,", "\"vocab_size\": 0,", "\"head_dim\": 3,",
        "\"num_key_value_heads\": 3,", "\"max_position_embeddings\": 9223372036854775807,",
        "\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 0, \"low_freq_factor\": 0, \"high_freq_factor\": 0, \"original_max_position_embeddings\": 0},",
        "\"rope_scaling\": {\"type\": \"linear\", \"factor\": -1e38},", "\"partial_rotary_factor\": 1e39,",
        "\"sliding_window\": -5, \"use_sliding_window\": true, \"layer_types\": [\"sliding_attention\"],",
        "\"model_type\": \"gemma3_text\",", "\"model_type\": \"phi3\",", "\"model_type\": \"qwen2\",", "\"eos_token_id\": [-1, 1e30],",
        "\"rms_norm_eps\": -1,", "\"hidden_act\": \"gelu\",", "\"tie_word_embeddings\": false,", "\"attn_logit_softcapping\": 0,",
    ]

    static let peft = FuzzTarget(
        name: "peft", summary: "PEFT adapter folders: adapter_config.json and adapter_model.safetensors, read generically",
        seeds: { _ in
            guard let weights = try? BuiltinSeeds.adapterSafetensors() else { return [] }
            return [FuzzSeed(name: "builtin LoRA r=4 on q_proj, v_proj",
                             bytes: FuzzContainer.encode([Array(BuiltinSeeds.adapterConfigJSON.utf8), weights]))]
        },
        mutate: { bytes, seed, rng, log in
            var parts = FuzzContainer.decode(bytes)
            guard parts.count == 2, rng.chance(0.9) else { return ByteMutator.mutate(&bytes, rng: &rng, log: &log) }
            if rng.chance(0.5) {
                TextMutator().mutate(&parts[0], rng: &rng, log: &log)
                log.append("(in adapter_config.json)")
            } else {
                mutateSafetensors(&parts[1], rng: &rng, log: &log)
                log.append("(in adapter_model.safetensors)")
            }
            bytes = FuzzContainer.encode(parts)
        },
        run: { input, scratch in
            let parts = FuzzContainer.decode(input.bytes)
            guard parts.count == 2 else { return }
            let folder = try scratch.emptyFolder("adapter")
            try Data(parts[0]).write(to: folder.appendingPathComponent("adapter_config.json"))
            try Data(parts[1]).write(to: folder.appendingPathComponent("adapter_model.safetensors"))
            try AdapterFolderReader.read(folder)
        })

    /// The configs a mutated safetensors file is tried with: the built-in one and the fixtures'.
    static func knownConfigs() -> [String] {
        [BuiltinSeeds.configJSON]
    }

    /// The folder path a real load takes: config, generation config, checkpoint, model, logits.
    static func loadFolder(_ url: URL) throws {
        let source = try ModelSource(location: ModelLocation(reference: url.path, url: url, format: .huggingFaceFolder))
        _ = try? source.generationConfig()
        try forward(try source.network())
    }

    /// Logits for a few tokens, including ids the model does not have (must be an error).
    static func forward(_ model: CausalLanguageModel) throws {
        _ = try model.logits(tokens: [1, 2, min(3, model.config.vocabularySize - 1)])
        _ = try? model.logits(tokens: [model.config.vocabularySize])
        _ = try? model.logits(tokens: [-1])
    }
}
