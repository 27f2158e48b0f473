import Foundation
import LLM
import Tensor

/// Config files are flat, as TRL's: the loss settings' fields sit beside the others. A field
/// left out keeps its default.
extension GRPOConfig: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case learningRate, adamBeta1, adamBeta2, adamEpsilon, weightDecay, maxGradNorm, lrSchedulerType
        case warmupRatio, warmupSteps, maxSteps, numTrainEpochs
        case perDeviceTrainBatchSize, gradientAccumulationSteps, numGenerations, stepsPerGeneration
        case generationBatchSize, numIterations
        case temperature, topP, topK, minP, repetitionPenalty, maskTruncatedCompletions, stopStrings
        case scaleRewards, multiObjectiveAggregation, rewardWeights, rewardTimeBudget
        case dynamicSampling, dynamicSamplingMaxDraws, guidePromptColumn, guidedGenerations, gradientCheckpointing
        case loggingSteps, saveSteps, saveTotalLimit, outputDir, seed
    }

    /// Every field name a config file may use (camelCase), the loss settings' included.
    public static var fieldNames: [String] {
        CodingKeys.allCases.map(\.rawValue) + lossFieldNames
    }

    /// The loss settings' field names, read from the type itself so new fields appear here.
    static var lossFieldNames: [String] {
        Mirror(reflecting: GRPOLossSettings()).children.compactMap(\.label)
    }

    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let decoded = try c.decodeIfPresent(T.self, forKey: key) { value = decoded }
        }
        func readOptional<T: Decodable>(_ key: CodingKeys, _ value: inout T?) throws {
            if c.contains(key) { value = try c.decodeNil(forKey: key) ? nil : try c.decode(T.self, forKey: key) }
        }
        try read(.learningRate, &learningRate)
        try read(.adamBeta1, &adamBeta1)
        try read(.adamBeta2, &adamBeta2)
        try read(.adamEpsilon, &adamEpsilon)
        try read(.weightDecay, &weightDecay)
        try read(.maxGradNorm, &maxGradNorm)
        try read(.lrSchedulerType, &lrSchedulerType)
        try read(.warmupRatio, &warmupRatio)
        try read(.warmupSteps, &warmupSteps)
        try read(.maxSteps, &maxSteps)
        try read(.numTrainEpochs, &numTrainEpochs)
        try read(.perDeviceTrainBatchSize, &perDeviceTrainBatchSize)
        try read(.gradientAccumulationSteps, &gradientAccumulationSteps)
        try read(.numGenerations, &numGenerations)
        try readOptional(.stepsPerGeneration, &stepsPerGeneration)
        try readOptional(.generationBatchSize, &generationBatchSize)
        try read(.numIterations, &numIterations)
        try read(.temperature, &temperature)
        try read(.topP, &topP)
        try read(.topK, &topK)
        try readOptional(.minP, &minP)
        try read(.repetitionPenalty, &repetitionPenalty)
        try read(.maskTruncatedCompletions, &maskTruncatedCompletions)
        try read(.stopStrings, &stopStrings)
        if c.contains(.scaleRewards) {
            // TRL also accepts booleans: true = "group", false = "none".
            if let flag = try? c.decode(Bool.self, forKey: .scaleRewards) {
                scaleRewards = flag ? .group : .none
            } else {
                scaleRewards = try c.decode(RewardScaling.self, forKey: .scaleRewards)
            }
        }
        try read(.multiObjectiveAggregation, &multiObjectiveAggregation)
        try readOptional(.rewardWeights, &rewardWeights)
        try readOptional(.rewardTimeBudget, &rewardTimeBudget)
        try read(.dynamicSampling, &dynamicSampling)
        try read(.dynamicSamplingMaxDraws, &dynamicSamplingMaxDraws)
        try readOptional(.guidePromptColumn, &guidePromptColumn)
        try read(.guidedGenerations, &guidedGenerations)
        try readOptional(.gradientCheckpointing, &gradientCheckpointing)
        try read(.loggingSteps, &loggingSteps)
        try read(.saveSteps, &saveSteps)
        try readOptional(.saveTotalLimit, &saveTotalLimit)
        try read(.outputDir, &outputDir)
        try read(.seed, &seed)
        loss = try Self.decodeLossSettings(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encode(adamBeta1, forKey: .adamBeta1)
        try c.encode(adamBeta2, forKey: .adamBeta2)
        try c.encode(adamEpsilon, forKey: .adamEpsilon)
        try c.encode(weightDecay, forKey: .weightDecay)
        try c.encode(maxGradNorm, forKey: .maxGradNorm)
        try c.encode(lrSchedulerType, forKey: .lrSchedulerType)
        try c.encode(warmupRatio, forKey: .warmupRatio)
        try c.encode(warmupSteps, forKey: .warmupSteps)
        try c.encode(maxSteps, forKey: .maxSteps)
        try c.encode(numTrainEpochs, forKey: .numTrainEpochs)
        try c.encode(perDeviceTrainBatchSize, forKey: .perDeviceTrainBatchSize)
        try c.encode(gradientAccumulationSteps, forKey: .gradientAccumulationSteps)
        try c.encode(numGenerations, forKey: .numGenerations)
        try c.encodeIfPresent(stepsPerGeneration, forKey: .stepsPerGeneration)
        try c.encodeIfPresent(generationBatchSize, forKey: .generationBatchSize)
        try c.encode(numIterations, forKey: .numIterations)
        try c.encode(temperature, forKey: .temperature)
        try c.encode(topP, forKey: .topP)
        try c.encode(topK, forKey: .topK)
        try c.encodeIfPresent(minP, forKey: .minP)
        try c.encode(repetitionPenalty, forKey: .repetitionPenalty)
        try c.encode(maskTruncatedCompletions, forKey: .maskTruncatedCompletions)
        try c.encode(stopStrings, forKey: .stopStrings)
        try c.encode(scaleRewards, forKey: .scaleRewards)
        try c.encode(multiObjectiveAggregation, forKey: .multiObjectiveAggregation)
        try c.encodeIfPresent(rewardWeights, forKey: .rewardWeights)
        try c.encodeIfPresent(rewardTimeBudget, forKey: .rewardTimeBudget)
        try c.encode(dynamicSampling, forKey: .dynamicSampling)
        try c.encode(dynamicSamplingMaxDraws, forKey: .dynamicSamplingMaxDraws)
        try c.encodeIfPresent(guidePromptColumn, forKey: .guidePromptColumn)
        try c.encode(guidedGenerations, forKey: .guidedGenerations)
        try c.encodeIfPresent(gradientCheckpointing, forKey: .gradientCheckpointing)
        try c.encode(loggingSteps, forKey: .loggingSteps)
        try c.encode(saveSteps, forKey: .saveSteps)
        try c.encodeIfPresent(saveTotalLimit, forKey: .saveTotalLimit)
        try c.encode(outputDir, forKey: .outputDir)
        try c.encode(seed, forKey: .seed)
        try loss.encode(to: encoder)
    }

    /// The loss settings from the same flat container: the defaults, overlaid with every loss
    /// field the file gives (so a file may name only the fields it changes).
    private static func decodeLossSettings(from decoder: Decoder) throws -> GRPOLossSettings {
        let c = try decoder.container(keyedBy: ConfigKey.self)
        let defaults = try JSONEncoder().encode(GRPOLossSettings())
        guard var merged = try JSONSerialization.jsonObject(with: defaults) as? [String: Any] else {
            return GRPOLossSettings()
        }
        for name in lossFieldNames {
            let key = ConfigKey(name)
            guard c.contains(key) else { continue }
            merged[name] = try c.decode(ConfigValue.self, forKey: key).jsonObject
        }
        let data = try JSONSerialization.data(withJSONObject: merged)
        return try JSONDecoder().decode(GRPOLossSettings.self, from: data)
    }
}

/// A coding key made from any string.
struct ConfigKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// Any JSON/YAML value, to move fields between containers without knowing their types.
enum ConfigValue: Codable, Equatable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([ConfigValue]), object([String: ConfigValue])

    init(from decoder: Decoder) throws {
        if let object = try? decoder.container(keyedBy: ConfigKey.self) {
            var values: [String: ConfigValue] = [:]
            for key in object.allKeys { values[key.stringValue] = try object.decode(ConfigValue.self, forKey: key) }
            self = .object(values)
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var values: [ConfigValue] = []
            while !array.isAtEnd { values.append(try array.decode(ConfigValue.self)) }
            self = .array(values)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let value = try? single.decode(Bool.self) { self = .bool(value) }
        else if let value = try? single.decode(Int.self) { self = .int(value) }
        else if let value = try? single.decode(Double.self) { self = .double(value) }
        else { self = .string(try single.decode(String.self)) }
    }

    func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let value):
            var c = encoder.singleValueContainer(); try c.encode(value)
        case .int(let value):
            var c = encoder.singleValueContainer(); try c.encode(value)
        case .double(let value):
            var c = encoder.singleValueContainer(); try c.encode(value)
        case .string(let value):
            var c = encoder.singleValueContainer(); try c.encode(value)
        case .array(let values):
            var c = encoder.unkeyedContainer()
            for value in values { try c.encode(value) }
        case .object(let values):
            var c = encoder.container(keyedBy: ConfigKey.self)
            for (key, value) in values { try c.encode(value, forKey: ConfigKey(key)) }
        }
    }

    /// The value as Foundation JSON objects (for `JSONSerialization`).
    var jsonObject: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .int(let value): return value
        case .double(let value): return value
        case .string(let value): return value
        case .array(let values): return values.map(\.jsonObject)
        case .object(let values): return values.mapValues(\.jsonObject)
        }
    }
}
