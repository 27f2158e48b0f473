import Foundation

/// adapter_config.json as PEFT (0.21) writes and reads it, reduced to what plain LoRA uses. All
/// of the adapter's JSON lives here.
struct PEFTAdapterConfig {
    static let fileName = "adapter_config.json"

    /// PEFT's `target_modules`: a list of name suffixes, or one string (a regular expression that
    /// must match whole module paths, or "all-linear").
    enum Targets: Equatable {
        case names([String])
        case pattern(String)
    }

    var rank: Int
    var alpha: Double
    var dropout: Double
    var useRSLoRA: Bool
    var targets: Targets
    var baseModel: String?

    /// The file's text for `config` (resolved targets) trained on `baseModel`.
    static func encoded(_ config: LoRAConfig, baseModel: String) throws -> Data {
        let alpha: Any = config.alpha.rounded() == config.alpha && abs(config.alpha) < 1e15 ? Int(config.alpha) : config.alpha
        let object: [String: Any] = [
            "peft_type": "LORA", "task_type": "CAUSAL_LM",
            "base_model_name_or_path": baseModel, "revision": NSNull(), "inference_mode": true,
            "r": config.rank, "lora_alpha": alpha, "lora_dropout": config.dropout,
            "use_rslora": config.useRSLoRA, "use_dora": false, "fan_in_fan_out": false,
            "bias": "none", "lora_bias": false, "init_lora_weights": true,
            "target_modules": config.targetModules, "exclude_modules": NSNull(),
            "modules_to_save": NSNull(), "layers_to_transform": NSNull(), "layers_pattern": NSNull(),
            "rank_pattern": [String: Any](), "alpha_pattern": [String: Any](),
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// Reads `url`, rejecting options this engine does not implement.
    init(contentsOf url: URL) throws {
        let path = url.path
        func invalid(_ detail: String) -> LoRAError { .invalidAdapterConfig(path: path, detail: detail) }
        guard let data = FileManager.default.contents(atPath: path) else { throw LoRAError.missingFile(path: path) }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw invalid("it is not a JSON object")
        }
        guard let type = json["peft_type"] as? String else { throw invalid("peft_type is missing") }
        guard type.uppercased() == "LORA" else { throw invalid("peft_type is \(type), not LORA") }

        func unsupported(_ key: String, _ value: Any) -> LoRAError {
            .unsupportedOption(name: key, value: "\(value)", path: path)
        }
        for key in ["use_dora", "fan_in_fan_out", "lora_bias"] {
            if let flag = json[key] as? Bool, flag { throw unsupported(key, true) }
        }
        if let bias = json["bias"] as? String, bias != "none" { throw unsupported("bias", "\"\(bias)\"") }
        for key in ["rank_pattern", "alpha_pattern"] {
            if let map = json[key] as? [String: Any], !map.isEmpty { throw unsupported(key, map) }
        }
        for key in ["layers_to_transform", "modules_to_save", "exclude_modules"] {
            guard let value = json[key], !(value is NSNull) else { continue }
            if let list = value as? [Any], list.isEmpty { continue }
            if let text = value as? String, text.isEmpty { continue }
            throw unsupported(key, value)
        }

        // PEFT's defaults for absent keys: r 8, lora_alpha 8, lora_dropout 0.
        guard let rank = PEFTAdapterConfig.integer(json["r"], default: 8) else { throw invalid("r is not an integer") }
        guard let alpha = PEFTAdapterConfig.number(json["lora_alpha"], default: 8), alpha.isFinite else {
            throw invalid("lora_alpha is not a number")
        }
        guard let dropout = PEFTAdapterConfig.number(json["lora_dropout"], default: 0), dropout.isFinite else {
            throw invalid("lora_dropout is not a number")
        }
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        useRSLoRA = json["use_rslora"] as? Bool ?? false
        switch json["target_modules"] {
        case let names as [String]: targets = .names(names)
        case let pattern as String: targets = .pattern(pattern)
        default: throw invalid("target_modules must be a list of module names or a string")
        }
        baseModel = json["base_model_name_or_path"] as? String
    }

    private static func integer(_ value: Any?, default fallback: Int) -> Int? {
        guard let value, !(value is NSNull) else { return fallback }
        guard let number = value as? NSNumber, let exact = Int(exactly: number.doubleValue) else { return nil }
        return exact
    }

    private static func number(_ value: Any?, default fallback: Double) -> Double? {
        guard let value, !(value is NSNull) else { return fallback }
        return (value as? NSNumber)?.doubleValue
    }
}
