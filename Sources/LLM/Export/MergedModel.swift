import Foundation
import Tensor

/// A model's weights with its active LoRA adapter folded in (W' = W + scale·B·A), in Hugging
/// Face names and layout (GGUF bases dequantized, their llama Q/K rows un-permuted), ready to be
/// written in any export format. The base weights come from the model's own files; the merged
/// projections from the loaded network, so what is exported is what the network computes.
public struct MergedModel {
    /// Where the base weights, config and tokenizer come from.
    public let source: ModelSource
    public let config: TransformerConfig
    /// Every weight by Hugging Face name (`model.layers.0.self_attn.q_proj.weight`).
    public let tensors: [String: Tensor]
    /// The names of the projection weights the adapter changed (empty without an adapter).
    public let mergedNames: Set<String>
    /// The adapter that was folded in, if any.
    public let adapter: LoRAAdapter?
    /// How each tensor was stored in a GGUF base (nil for a Hugging Face folder).
    public let baseQuantization: BaseQuantization?

    /// Folds `network`'s active adapter (none, or a disabled one, merges nothing) into the base
    /// weights read from `source`, which must be the files `network` was loaded from.
    public init(source: ModelSource, network: CausalLanguageModel) throws {
        let config = network.config
        var weights = try source.weights(for: config).float32Tensors()
        let active = network.isAdapterEnabled ? network.attachedAdapter : nil
        var merged = Set<String>()
        for projection in active?.projections ?? [] {
            let name = "\(projection.moduleName).weight"
            guard let weight = network.projections[projection.moduleName]?.mergedWeight() else {
                throw ExportError.missingWeight(name: name, source: source.location.reference)
            }
            guard let base = weights[name], base.shape == weight.shape else {
                throw ExportError.missingWeight(name: name, source: source.location.reference)
            }
            weights[name] = weight
            merged.insert(name)
        }
        self.source = source
        self.config = config
        tensors = weights
        mergedNames = merged
        adapter = active
        if case let .gguf(file) = source.contents { baseQuantization = BaseQuantization(gguf: file) } else { baseQuantization = nil }
    }

    /// Tensor names in a stable order: embeddings, layers by index (names sorted within a
    /// layer), the final norm, then the LM head.
    public var orderedNames: [String] {
        func key(_ name: String) -> (Int, Int, String) {
            if name.hasPrefix("model.embed_tokens") { return (0, 0, name) }
            if name.hasPrefix("model.layers.") {
                let rest = name.dropFirst("model.layers.".count)
                return (1, Int(rest.prefix { $0 != "." }) ?? 0, name)
            }
            if name.hasPrefix("lm_head") { return (3, 0, name) }
            return (2, 0, name)
        }
        return tensors.keys.sorted { key($0) < key($1) }
    }
}
