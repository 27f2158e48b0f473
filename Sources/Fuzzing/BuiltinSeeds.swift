import Foundation
import Tensor

/// Small, complete seeds generated in process, so every target has structure to mutate even
/// where no fixture files exist: a two-layer llama (GGUF with Q8_0 and F32 tensors, and a
/// safetensors folder), its configs, a LoRA adapter, a template, datasets and wire messages.
enum BuiltinSeeds {
    static let vocabulary = 32, hidden = 32, heads = 2, kvHeads = 1, headDim = 16, intermediate = 64, layers = 2

    static let configJSON = """
    {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": \(hidden),
     "intermediate_size": \(intermediate), "num_hidden_layers": \(layers), "num_attention_heads": \(heads),
     "num_key_value_heads": \(kvHeads), "head_dim": \(headDim), "vocab_size": \(vocabulary),
     "max_position_embeddings": 64, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
     "rope_scaling": null, "tie_word_embeddings": true, "hidden_act": "silu",
     "bos_token_id": 1, "eos_token_id": [2, 3], "torch_dtype": "float32"}
    """

    static let generationConfigJSON = """
    {"bos_token_id": 1, "eos_token_id": [2, 3], "pad_token_id": 0, "do_sample": true,
     "temperature": 0.7, "top_p": 0.9, "top_k": 50, "repetition_penalty": 1.1, "max_new_tokens": 16}
    """

    /// HF-named weights of the tiny llama, deterministic values.
    static func weights() -> [(name: String, shape: [Int])] {
        var list: [(String, [Int])] = [("model.embed_tokens.weight", [vocabulary, hidden]), ("model.norm.weight", [hidden])]
        for layer in 0..<layers {
            let p = "model.layers.\(layer)"
            list += [
                ("\(p).input_layernorm.weight", [hidden]), ("\(p).post_attention_layernorm.weight", [hidden]),
                ("\(p).self_attn.q_proj.weight", [heads * headDim, hidden]),
                ("\(p).self_attn.k_proj.weight", [kvHeads * headDim, hidden]),
                ("\(p).self_attn.v_proj.weight", [kvHeads * headDim, hidden]),
                ("\(p).self_attn.o_proj.weight", [hidden, heads * headDim]),
                ("\(p).mlp.gate_proj.weight", [intermediate, hidden]),
                ("\(p).mlp.up_proj.weight", [intermediate, hidden]),
                ("\(p).mlp.down_proj.weight", [hidden, intermediate]),
            ]
        }
        return list
    }

    static func tensor(_ shape: [Int], salt: Int) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { Float(sin(Double($0 * 7 + salt))) * 0.1 })
    }

    static func safetensors() throws -> [UInt8] {
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        for (index, entry) in weights().enumerated() {
            try writer.add(entry.name, tensor: tensor(entry.shape, salt: index), as: index % 3 == 0 ? .bfloat16 : .float32)
        }
        return try written { try writer.write(to: $0) }
    }

    private static let builtinSafetensors = Result { try safetensors() }

    /// `safetensors()`, built once per process (inputs that only mutate a config reuse it).
    static func cachedSafetensors() throws -> [UInt8] { try builtinSafetensors.get() }

    static func gguf() throws -> [UInt8] {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("general.name", .string("fuzz-tiny"))
        writer.set("llama.block_count", .uint32(UInt32(layers)))
        writer.set("llama.context_length", .uint32(64))
        writer.set("llama.embedding_length", .uint32(UInt32(hidden)))
        writer.set("llama.feed_forward_length", .uint32(UInt32(intermediate)))
        writer.set("llama.attention.head_count", .uint32(UInt32(heads)))
        writer.set("llama.attention.head_count_kv", .uint32(UInt32(kvHeads)))
        writer.set("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
        writer.set("llama.rope.freq_base", .float32(10_000))
        writer.set("llama.vocab_size", .uint32(UInt32(vocabulary)))
        let tokens = ["<unk>", "<s>", "</s>"] + (3..<vocabulary).map { "▁" + String(UnicodeScalar(UInt8(94 + $0))) }
        writer.set("tokenizer.ggml.model", .string("llama"))
        writer.set("tokenizer.ggml.tokens", .array(tokens.map { .string($0) }))
        writer.set("tokenizer.ggml.scores", .array(tokens.indices.map { .float32(-Float($0)) }))
        writer.set("tokenizer.ggml.token_type", .array(tokens.indices.map { .int32($0 < 3 ? 3 : 1) }))
        writer.set("tokenizer.ggml.bos_token_id", .uint32(1))
        writer.set("tokenizer.ggml.eos_token_id", .uint32(2))
        writer.set("tokenizer.chat_template", .string(chatTemplate))
        for (index, entry) in weights().enumerated() {
            let type: GGMLType = entry.shape.count == 2 ? (index % 2 == 0 ? .q8_0 : .q4_1) : .f32
            try writer.addTensor(GGUFNames.ggufName(entry.name), tensor(entry.shape, salt: index), as: type)
        }
        return writer.bytes()
    }

    static let chatTemplate = """
    {% for message in messages %}{% if loop.first and message['role'] != 'system' %}<|im_start|>system
    You are helpful.<|im_end|>
    {% endif %}<|im_start|>{{ message['role'] }}
    {{ message['content'] | trim }}<|im_end|>
    {% endfor %}{% if add_generation_prompt %}<|im_start|>assistant
    {% endif %}
    """

    static let adapterConfigJSON = """
    {"peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": "fuzz-tiny", "r": 4,
     "lora_alpha": 8, "lora_dropout": 0.0, "bias": "none", "target_modules": ["q_proj", "v_proj"],
     "fan_in_fan_out": false, "inference_mode": true, "modules_to_save": null}
    """

    static func adapterSafetensors() throws -> [UInt8] {
        var writer = SafetensorsWriter()
        for layer in 0..<layers {
            for (module, out) in [("q_proj", heads * headDim), ("v_proj", kvHeads * headDim)] {
                let p = "base_model.model.model.layers.\(layer).self_attn.\(module)"
                try writer.add("\(p).lora_A.weight", tensor: tensor([4, hidden], salt: layer), as: .float32)
                try writer.add("\(p).lora_B.weight", tensor: tensor([out, 4], salt: layer + 9), as: .float32)
            }
        }
        return try written { try writer.write(to: $0) }
    }

    static let datasetJSON = """
    [{"question": "What is 2 + 2?", "answer": "4", "id": 1, "score": 0.5, "tags": ["math", "easy"]},
     {"question": "Capital of France?", "answer": "Paris", "id": 2, "score": null, "meta": {"source": "quiz", "n": 3}},
     {"question": "Name a prime.", "answer": "7", "id": 3, "score": 1e3, "extra": true}]
    """

    static let datasetJSONL = """
    {"prompt": "Say hi", "completion": "hi", "reward": 1}
    {"prompt": "Count to 3", "completion": "1 2 3", "reward": 0.25, "notes": "ok"}
    {"prompt": "Empty", "completion": "", "reward": -1, "list": [1, 2, {"a": null}]}
    """

    static let datasetCSV = """
    question,answer,id,score
    "What is 2 + 2?",4,1,0.5
    "Capital of ""France""?",Paris,2,
    "Multi
    line",7,3,1e3
    """

    /// Writes through a temporary file (the writers only write files) and reads the bytes back.
    private static func written(_ write: (URL) throws -> Void) throws -> [UInt8] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-grpo-fuzz-seed-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: url) }
        try write(url)
        return [UInt8](try Data(contentsOf: url))
    }
}

/// HF names back to llama.cpp's (the inverse of the loader's table, for the built-in GGUF).
enum GGUFNames {
    static func ggufName(_ hf: String) -> String {
        let global = ["model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
                      "lm_head.weight": "output.weight"]
        if let name = global[hf] { return name }
        let modules = ["input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm",
                       "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
                       "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
                       "mlp.down_proj": "ffn_down"]
        let parts = hf.split(separator: ".").map(String.init)   // model layers N module… weight
        let module = parts[3..<(parts.count - 1)].joined(separator: ".")
        return "blk.\(parts[2]).\(modules[module] ?? module).\(parts.last ?? "weight")"
    }
}
