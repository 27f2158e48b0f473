import Foundation
import LLM
import Tensor

/// `Model`'s LoRA adapters and exports in cells: load, switch off, save, merge, and write GGUF.
///
/// ```swift
/// try model.loadAdapter("checkpoints/smollm2-medical-format")
/// let base = model.withoutAdapter { model.chat(system: s, user: q, greedy: true, stream: false) }
/// try model.saveAdapter("out/lora")
/// try model.saveMerged("out/merged", dtype: "f16")
/// try model.saveGGUF("out/model.gguf", quantization: "q8_0")
/// ```
enum AdapterBindings {
    static func register(in registry: NativeRegistry) {
        registry.type("Model") { type in
            registerSwitching(type)
            registerSaving(type)
        }
    }

    private static func model(_ call: NativeCall) throws -> LanguageModel {
        try call.receiver(as: ModelObject.self).model
    }

    // MARK: Attaching and switching

    private static func registerSwitching(_ type: NativeType) {
        type.method("loadAdapter", [.positional("folder", "String"), .labeled("checkBaseModel", "Bool", default: .bool(true))],
                    returns: "String",
                    doc: "Attaches a PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors), replacing "
                        + "any attached one; generation, chat and scoring use it until it is removed or switched off.") { call in
            let model = try model(call)
            let adapter = try model.loadLoRA(from: URL(fileURLWithPath: try call.string("folder")),
                                             checkBaseModel: try call.bool("checkBaseModel"))
            return .string(describe(adapter))
        }
        type.method("removeAdapter", returns: "Void", doc: "Detaches the adapter: the model is the base model again.") { call in
            try model(call).network.detachAdapter()
            return .void
        }
        type.property("adapter", "String?", of: ModelObject.self,
                      doc: "The attached adapter (rank, alpha, modules, on/off), or nil.") { object in
            guard let adapter = object.model.network.attachedAdapter else { return .optional(nil) }
            let state = object.model.network.isAdapterEnabled ? "on" : "off"
            return .optional(.string(describe(adapter) + " (\(state))"))
        }
        type.method("withoutAdapter", [.positional("body")], returns: "Any",
                    doc: "Runs body with the adapter switched off (the base model answers), then switches it back on.") { call in
            let model = try model(call)
            return try model.network.withAdapterDisabled { try call.call(call["body"], []) }
        }
    }

    private static func describe(_ adapter: LoRAAdapter) -> String {
        "LoRA r=\(adapter.config.rank) alpha=\(adapter.config.alpha) on \(adapter.projections.count) projections"
    }

    // MARK: Saving

    private static func registerSaving(_ type: NativeType) {
        type.method("saveAdapter", [.positional("folder", "String"), .labeled("dtype", "String", default: .string("f32"))],
                    returns: "String",
                    doc: "Writes the attached adapter in PEFT's format (peft.PeftModel.from_pretrained loads it); dtype f32, f16 or bf16.") { call in
            let model = try model(call)
            let folder = URL(fileURLWithPath: try call.string("folder"))
            try model.saveLoRA(to: folder, dtype: try dtype(call))
            return .string(folder.path)
        }
        type.method("saveMerged", [.positional("folder", "String"), .labeled("dtype", "String", default: .string("bf16"))],
                    returns: "String",
                    doc: "Writes the model with its adapter merged as a Hugging Face folder (config, model.safetensors in "
                        + "bf16, f16 or f32, tokenizer files, chat template) that transformers loads.") { call in
            let model = try model(call)
            let folder = URL(fileURLWithPath: try call.string("folder"))
            try model.saveMerged(to: folder, dtype: try dtype(call))
            return .string(folder.path)
        }
        type.method("saveGGUF", [.positional("path", "String"), .labeled("quantization", "String", default: .string("f16"))],
                    returns: "String",
                    doc: "Writes the model with its adapter merged as a GGUF for llama.cpp: f32, f16, bf16, q8_0, q4_0, q4_1, "
                        + "q5_0, q5_1, q4_k, q5_k, q6_k, or same (the base GGUF's types; says how much the merge changed them).") { call in
            let model = try model(call)
            let name = try call.string("quantization")
            guard let exportType = GGUFExportType(name: name) else {
                throw call.error("quantization \"\(name)\" is not a GGUF type; use one of \(GGUFExportType.choices.joined(separator: ", "))")
            }
            let url = URL(fileURLWithPath: try call.string("path"))
            let change = try model.saveGGUF(to: url, as: exportType)
            return .string(change.map { "\(url.path) (compared with the base GGUF: \($0))" } ?? url.path)
        }
        type.method("saveAdapterGGUF", [.positional("path", "String")], returns: "String",
                    doc: "Writes the attached adapter alone as a llama.cpp LoRA GGUF (llama-cli --lora PATH).") { call in
            let url = URL(fileURLWithPath: try call.string("path"))
            try model(call).saveLoRAGGUF(to: url)
            return .string(url.path)
        }
    }

    private static func dtype(_ call: NativeCall) throws -> SafetensorsDType {
        let name = try call.string("dtype")
        switch name.lowercased() {
        case "f32", "float32": return .float32
        case "f16", "float16": return .float16
        case "bf16", "bfloat16": return .bfloat16
        default: throw call.error("dtype must be \"f32\", \"f16\" or \"bf16\", got \"\(name)\"")
        }
    }
}
