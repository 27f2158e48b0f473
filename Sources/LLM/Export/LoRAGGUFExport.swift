import Foundation
import Tensor

/// Writes an adapter alone as a llama.cpp LoRA GGUF (what convert_lora_to_gguf.py makes):
/// `general.type = "adapter"`, `adapter.type = "lora"`, `adapter.lora.alpha`, and per adapted
/// matrix `blk.N.attn_q.weight.lora_a` [r, in] and `….lora_b` [out, r] in F32, with the rows of
/// llama Q/K `lora_b` permuted like their base weights. llama.cpp scales by alpha/r, so an rsLoRA
/// adapter's alpha is written as scale·r.
public enum LoRAGGUFExport {
    public static func write(_ adapter: LoRAAdapter, config: TransformerConfig, to url: URL, name: String) throws {
        guard let architecture = GGUFModelExport.architectureName(config.family) else {
            throw ExportError.unsupportedArchitecture(family: "\(config.family)", format: "a llama.cpp LoRA GGUF")
        }
        var writer = GGUFWriter()
        writer.set("general.architecture", .string(architecture))
        writer.set("general.type", .string("adapter"))
        writer.set("general.name", .string(name))
        writer.set("adapter.type", .string("lora"))
        writer.set("adapter.lora.alpha", .float32(adapter.config.scale * Float(adapter.config.rank)))
        writer.set("general.file_type", .uint32(GGUFExportType.fileType(for: .f32)))
        for projection in adapter.projections {
            guard let module = GGUFTensorNaming.ggufModule(for: projection.moduleName) else {
                throw ExportError.unsupportedArchitecture(family: "\(config.family) module \(projection.moduleName)",
                                                          format: "a llama.cpp LoRA GGUF")
            }
            var b = projection.b
            if let heads = GGUFTensorNaming.rotaryHeads(for: projection.moduleName + ".weight", config: config) {
                b = GGUFTensorNaming.permutedForGGUF(b, heads: heads)
            }
            try writer.addTensor("\(module).weight.lora_a", projection.a, as: .f32)
            try writer.addTensor("\(module).weight.lora_b", b, as: .f32)
        }
        do {
            try writer.write(to: url)
        } catch {
            throw ExportError.writeFailed(path: url.path, reason: "\(error)")
        }
    }
}
