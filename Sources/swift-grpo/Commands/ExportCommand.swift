import ArgumentParser
import Foundation
import LLM
import Tensor

/// `swift-grpo export`: a model with its LoRA adapter merged, as a Hugging Face folder or a GGUF;
/// or the adapter alone, as a llama.cpp LoRA GGUF or a PEFT folder.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a model with its adapter merged (Hugging Face folder or GGUF), or the adapter alone (llama.cpp LoRA GGUF or PEFT folder).",
        discussion: """
        --to merged     OUT is a Hugging Face folder (config.json, model.safetensors, tokenizer files); --dtype bf16|f16|f32.
        --to gguf       OUT is a GGUF for llama.cpp; --quantization f32|f16|bf16|q8_0|q4_0|q4_1|q5_0|q5_1|q4_k|q5_k|q6_k, or `same`
                        for each tensor's type in the quantized GGUF base (the merge's change to its blocks is reported).
        --to lora-gguf  OUT is the adapter as a llama.cpp LoRA GGUF (llama-cli --lora OUT).
        --to peft       OUT is the adapter as a PEFT folder.
        One JSON line describing what was written goes to stdout.
        """)

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case merged, gguf, loraGGUF = "lora-gguf", peft
    }

    @Option(help: "A registry name, a .gguf file, a Hugging Face folder or a cached HF id.")
    var model: String = ModelRegistry.defaultModelName
    @Option(help: "A PEFT LoRA adapter folder made for --model; merged into the export (without it the base is exported).")
    var adapter: String?
    @Option(help: "What to write: merged, gguf, lora-gguf or peft.")
    var to: Target
    @Option(help: "The float type of a merged folder (default bf16) or PEFT adapter (default f32): bf16, f16 or f32.")
    var dtype: String?
    @Option(help: "The GGUF matrices' type: f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q4_k, q5_k, q6_k (rows that are not whole 256-blocks fall back as in llama.cpp), or same (the base GGUF's types).")
    var quantization: String = "f16"
    @Option(name: .customLong("random-init"),
            help: "FOR TESTING: instead of --adapter, make an adapter whose A and B are both random from this seed (a real adapter starts with B = 0), so exports differ from the base.")
    var randomInit: UInt64?
    @Option(help: "Rank of the --random-init adapter.")
    var rank = 8
    @Option(help: "lora_alpha of the --random-init adapter.")
    var alpha = 16.0
    @Option(help: "Comma-separated target modules of the --random-init adapter.")
    var targets = LoRAConfig.allProjections.joined(separator: ",")
    @Flag(name: .customLong("skip-base-check"), help: "Load --adapter even if its base_model_name_or_path names another model.")
    var skipBaseCheck = false
    @Argument(help: "The folder or file to write (a file is replaced; an existing folder keeps files the export does not write).")
    var output: String

    func validate() throws {
        if adapter != nil && randomInit != nil { throw ValidationError("Pass --adapter DIR or --random-init SEED, not both.") }
        if (to == .loraGGUF || to == .peft) && adapter == nil && randomInit == nil {
            throw ValidationError("--to \(to.rawValue) exports an adapter: pass --adapter DIR (or --random-init SEED for testing).")
        }
        if let dtype, !["f32", "f16", "bf16"].contains(dtype.lowercased()) {
            throw ValidationError("--dtype must be f32, f16 or bf16, not \(dtype).")
        }
        guard GGUFExportType(name: quantization) != nil else {
            throw ValidationError("--quantization \(quantization) is not a ggml type; use one of \(GGUFExportType.choices.joined(separator: ", ")).")
        }
    }

    func run() throws {
        let source = try ModelSource.open(model)
        let network = try source.network()
        let reference = source.location.reference
        if let adapter {
            let loaded = try LoRAAdapter.load(from: URL(fileURLWithPath: adapter), for: network,
                                              expectedBaseModel: skipBaseCheck ? nil : reference)
            try network.attach(loaded)
        } else if let randomInit {
            let config = LoRAConfig(rank: rank, alpha: alpha,
                                    targetModules: targets.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) },
                                    seed: randomInit)
            try network.attach(LoRAAdapter.randomized(for: network, config: config))
        }
        let url = URL(fileURLWithPath: output)
        var summary: [String: Any] = ["format": to.rawValue, "path": url.path, "model": reference]
        if let attached = network.attachedAdapter {
            summary["adapter_modules"] = attached.projections.count
            summary["adapter_rank"] = attached.config.rank
        }
        switch to {
        case .merged:
            let merged = try MergedModel(source: source, network: network)
            try HuggingFaceExport.write(merged, to: url, dtype: floatType)
            summary["merged_tensors"] = merged.mergedNames.count
            summary["dtype"] = floatType.rawValue
        case .gguf:
            let merged = try MergedModel(source: source, network: network)
            let exportType = GGUFExportType(name: quantization) ?? .uniform(.f16)
            let change = try GGUFModelExport.write(merged, to: url, as: exportType)
            summary["merged_tensors"] = merged.mergedNames.count
            summary["quantization"] = exportType.description
            if let base = merged.baseQuantization { summary["base_quantization"] = base.summary }
            if let change {
                summary["quantization_change"] = change.jsonObject
                FileHandle.standardError.write(Data("Compared with the base GGUF: \(change).\n".utf8))
            }
        case .loraGGUF:
            guard let attached = network.attachedAdapter else { throw ExportError.noAdapter(model: reference) }
            try LoRAGGUFExport.write(attached, config: network.config, to: url, name: url.deletingPathExtension().lastPathComponent)
        case .peft:
            guard let attached = network.attachedAdapter else { throw ExportError.noAdapter(model: reference) }
            try attached.save(to: url, baseModel: reference, dtype: floatType)
        }
        try JSONLines.write(summary)
    }

    private var floatType: SafetensorsDType {
        switch (dtype ?? (to == .peft ? "f32" : "bf16")).lowercased() {
        case "f32": return .float32
        case "f16": return .float16
        default: return .bfloat16
        }
    }
}
