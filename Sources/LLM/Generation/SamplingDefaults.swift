extension SamplingOptions {
    /// What generation samples with when neither the caller nor the model's
    /// `generation_config.json` says otherwise: temperature 0.7, no top-p or top-k cut.
    /// (`swift-grpo generate` and the prelude's `generate` both start from here.)
    public static let fallbackDefaults = SamplingOptions(temperature: 0.7)

    /// These options with the sampling values a model ships in `generation_config.json`
    /// (temperature, top_p, top_k) in place of ours, as transformers applies them when the
    /// caller passes none.
    public func applying(_ generation: GenerationConfig?) -> SamplingOptions {
        var options = self
        if let temperature = generation?.temperature { options.temperature = Float(temperature) }
        if let topP = generation?.topP { options.topP = Float(topP) }
        if let topK = generation?.topK { options.topK = topK }
        return options
    }
}
