import LLM

/// The sampling parameters every generating method takes, in this order (Swift binds labelled
/// arguments in declaration order): `maxNewTokens:temperature:topP:topK:minP:repetitionPenalty:seed:greedy:stop:`.
/// `temperature`, `topP` and `topK` default to the model's `samplingDefaults` (its
/// generation_config.json, else `SamplingOptions.fallbackDefaults`), as in `swift-grpo generate`.
enum GenerationParameters {
    static let list: [NativeParameter] = [
        .labeled("maxNewTokens", "Int", default: .int(128)),
        .labeled("temperature", "Double", default: .null),
        .labeled("topP", "Double", default: .null),
        .labeled("topK", "Int", default: .null),
        .labeled("minP", "Double", default: .double(0)),
        .labeled("repetitionPenalty", "Double", default: .double(1)),
        .labeled("seed", "Int", default: .int(0)),
        .labeled("greedy", "Bool", default: .bool(false)),
        .labeled("stop", "[String]", default: .array([])),
    ]

    /// The options of `call`, checked: a bad value is a trap naming the parameter.
    static func options(_ call: NativeCall, for model: LanguageModel) throws -> GenerationOptions {
        let contextLength = model.config.maxPositions
        let defaults = model.samplingDefaults
        let maxNewTokens = try call.int("maxNewTokens")
        guard (0...contextLength).contains(maxNewTokens) else {
            throw call.error("maxNewTokens must be between 0 and the model's context length \(contextLength), got \(maxNewTokens)")
        }
        let temperature = call.optional("temperature") == nil ? Double(defaults.temperature) : try call.double("temperature")
        guard temperature >= 0 else { throw call.error("temperature must be 0 or more (0 means greedy), got \(temperature)") }
        let topP = call.optional("topP") == nil ? Double(defaults.topP) : try call.double("topP")
        guard topP > 0, topP <= 1 else { throw call.error("topP must be in (0, 1], got \(topP)") }
        let topK = call.optional("topK") == nil ? defaults.topK : try call.int("topK")
        guard topK >= 0 else { throw call.error("topK must be 0 (off) or more, got \(topK)") }
        let minP = try call.double("minP")
        guard minP >= 0, minP < 1 else { throw call.error("minP must be in [0, 1), got \(minP)") }
        let penalty = try call.double("repetitionPenalty")
        guard penalty > 0 else { throw call.error("repetitionPenalty must be above 0 (1 = off), got \(penalty)") }
        let seed = try call.int("seed")
        guard seed >= 0 else { throw call.error("seed must be 0 or more, got \(seed)") }
        let stop = try DatasetValueBridge.strings(call["stop"], name: "stop")
        let sampling = SamplingOptions(temperature: Float(temperature), topK: topK, topP: Float(topP), minP: Float(minP),
                                       repetitionPenalty: Float(penalty), greedy: try call.bool("greedy") || temperature == 0)
        return GenerationOptions(maxNewTokens: maxNewTokens, sampling: sampling, stopStrings: stop, seed: UInt64(seed))
    }
}
