import Foundation
import Tensor

/// Exports of a loaded model with its active adapter (the notebook's last step): a merged
/// Hugging Face folder, a merged GGUF, or the adapter alone as a llama.cpp LoRA GGUF.
extension LanguageModel {
    /// Writes the model with its active adapter merged as a Hugging Face folder (BF16 by default).
    public func saveMerged(to folder: URL, dtype: SafetensorsDType = .bfloat16) throws {
        try HuggingFaceExport.write(mergedModel(), to: folder, dtype: dtype)
    }

    /// Writes the model with its active adapter merged as a GGUF for llama.cpp. Returns how much
    /// the merge changed the blocks of a quantized base, for tensors kept in their base type.
    @discardableResult
    public func saveGGUF(to url: URL, as type: GGUFExportType = .uniform(.f16)) throws -> QuantizationChange? {
        try GGUFModelExport.write(mergedModel(), to: url, as: type)
    }

    /// Writes the attached adapter alone as a llama.cpp LoRA GGUF.
    public func saveLoRAGGUF(to url: URL) throws {
        guard let adapter = network.attachedAdapter else { throw ExportError.noAdapter(model: location.reference) }
        try LoRAGGUFExport.write(adapter, config: config, to: url, name: url.deletingPathExtension().lastPathComponent)
    }

    /// The weights with the active adapter folded in, the base read again from the model's files.
    public func mergedModel() throws -> MergedModel {
        try MergedModel(source: ModelSource(location: location), network: network)
    }
}
