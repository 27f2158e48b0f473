import Foundation
import Tensor

/// A loaded causal language model with everything needed to use it: the network, its
/// tokenizer, its chat template and its end-of-turn ids.
public final class LanguageModel {
    public let location: ModelLocation
    public let network: CausalLanguageModel
    public let tokenizer: PreTrainedTokenizer
    /// nil when the model ships no chat template.
    public let chatTemplate: ChatTemplateSettings?
    /// Ids that end a generated answer (for SmolLM2 chat: `<|im_end|>`).
    public let eosTokenIDs: Set<Int>
    /// What to sample with when the caller gives no temperature, top-p or top-k: the model's
    /// `generation_config.json` values over `SamplingOptions.fallbackDefaults`.
    public let samplingDefaults: SamplingOptions
    /// Seconds spent loading.
    public let loadSeconds: Double

    /// Loads a registry name, a `.gguf` path, a Hugging Face folder, or an HF id in the local HF
    /// cache. GGUF weights stay as their blocks, read in place from the mapped file (llama's Q/K
    /// rows un-permuted into a copy). A model without a chat template loads with
    /// `chatTemplate == nil`; a template that does not parse is an error naming its file.
    public static func load(_ reference: String, registry: ModelRegistry = ModelRegistry()) throws -> LanguageModel {
        try load(ModelSource.open(reference, registry: registry))
    }

    /// Loads everything from an opened model source.
    public static func load(_ source: ModelSource) throws -> LanguageModel {
        let start = Date()
        let network = try source.network()
        var eos = Set(network.config.eosTokenIDs)
        let generation = try source.generationConfig()
        eos.formUnion(generation?.eosTokenIDs ?? [])
        let tokenizer = try source.tokenizer()
        if let id = tokenizer.eosTokenID { eos.insert(id) }
        let template = try source.chatTemplate()
        return LanguageModel(location: source.location, network: network, tokenizer: tokenizer, chatTemplate: template,
                             eosTokenIDs: eos, samplingDefaults: SamplingOptions.fallbackDefaults.applying(generation),
                             loadSeconds: Date().timeIntervalSince(start))
    }

    init(location: ModelLocation, network: CausalLanguageModel, tokenizer: PreTrainedTokenizer,
         chatTemplate: ChatTemplateSettings?, eosTokenIDs: Set<Int>, samplingDefaults: SamplingOptions,
         loadSeconds: Double) {
        self.location = location
        self.network = network
        self.tokenizer = tokenizer
        self.chatTemplate = chatTemplate
        self.eosTokenIDs = eosTokenIDs
        self.samplingDefaults = samplingDefaults
        self.loadSeconds = loadSeconds
    }

    public var config: TransformerConfig { network.config }

    /// Generates continuations of token prompts; stops at the model's EOS ids unless
    /// `options.eosTokenIDs` names others.
    public func generate(prompts: [[Int]], options: GenerationOptions,
                         onToken: ((Int, Int, String) -> Void)? = nil,
                         isCancelled: () -> Bool = { false }) throws -> [GenerationResult] {
        var options = options
        if options.eosTokenIDs.isEmpty { options.eosTokenIDs = eosTokenIDs }
        return try TextGenerator(model: network, tokenizer: tokenizer)
            .generate(prompts: prompts, options: options, onToken: onToken, isCancelled: isCancelled)
    }

    /// Generates a continuation of raw text (special tokens written in it are recognised). The
    /// text is framed as the tokenizer settings say (`Tokenizer.encodePrompt`: BOS for Gemma and
    /// Llama 3, none for SmolLM2; no second BOS after a chat template's own).
    public func generate(_ prompt: String, options: GenerationOptions,
                         onToken: ((Int, Int, String) -> Void)? = nil,
                         isCancelled: () -> Bool = { false }) throws -> GenerationResult {
        try generate(prompts: [tokenizer.encodePrompt(prompt)], options: options, onToken: onToken,
                     isCancelled: isCancelled)[0]
    }

    /// log p(token | everything before it) for each completion token after `prompt` (framed by
    /// `Tokenizer.encodePrompt`, so a model that wants BOS gets it). With an empty prompt the
    /// BOS id (if the model has one) conditions the first token; without one, the first token
    /// cannot be scored and is left out.
    public func completionLogProbs(prompt: String, completionIDs: [Int]) throws -> [Float] {
        guard !completionIDs.isEmpty else { return [] }
        var promptIDs = tokenizer.encodePrompt(prompt)
        if promptIDs.isEmpty, let bos = tokenizer.bosTokenID { promptIDs = [bos] }
        let logProbs = try score(promptIDs + completionIDs).logProbs
        // logProbs[t] scores token t + 1; completion tokens start at promptIDs.count.
        let first = max(promptIDs.count, 1) - 1
        return first < logProbs.count ? Array(logProbs[first...]) : []
    }

    /// Per position t: log p(ids[t+1] | ids[...t]) and the logsumexp of row t (final-logit
    /// soft-capping applied as in `logits`), without ever holding [T, vocabulary] logits.
    public func score(_ ids: [Int]) throws -> (logProbs: [Float], logSumExp: [Float]) {
        try network.score(ids)
    }
}
