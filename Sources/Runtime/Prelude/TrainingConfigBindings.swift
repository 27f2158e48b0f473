import GRPO
import LLM

/// `GRPOConfig(...)` and `LoRAConfig(...)`: every field by label in any order, defaults shown by
/// inspect and completion, `config.beta = 0.04` checked as it is set.
enum TrainingConfigBindings {
    static func register(in registry: NativeRegistry) {
        registry.type("GRPOConfig", doc: "Every setting of a GRPO run, with TRL's names in camelCase and TRL's defaults. "
                        + "Set any field by label, in any order; change one later with config.field = value.") { type in
            type.initializer(TrainingConfigFields.grpo.map { $0.parameter(defaults: GRPOConfig()) },
                             doc: "A configuration with TRL's defaults, changing the fields given (any subset, any order). "
                                + "Checked as a whole: batch sizes must fit numGenerations.") { call in
                var config = GRPOConfig()
                for (index, field) in TrainingConfigFields.grpo.enumerated() {
                    try field.set(&config, call[index])
                }
                do {
                    try config.validate()
                } catch let error as GRPOConfigError {
                    throw call.error(error.message)
                }
                return .object(GRPOConfigObject(config))
            }
            for field in TrainingConfigFields.grpo {
                type.property(field.name, field.type, doc: field.doc + " Default: \(defaultText(field, GRPOConfig())).",
                              set: { receiver, value in
                    var config = try grpoConfig(receiver)
                    try field.set(&config, value)
                    try checkField(field, value)
                    receiver = .object(GRPOConfigObject(config))
                }) { receiver in field.get(try grpoConfig(receiver)) }
            }
            type.staticProperty("fieldNames", "[String]", doc: "Every field a GRPOConfig has.") {
                .strings(TrainingConfigFields.grpo.map(\.name))
            }
        }
        registry.type("LoRAConfig", doc: "The shape of a LoRA adapter (PEFT's LoraConfig): rank, alpha, dropout, target modules.") { type in
            type.initializer(TrainingConfigFields.lora.map { $0.parameter(defaults: LoRAConfig()) },
                             doc: "LoRA settings, PEFT's defaults for the fields not given (r = 16, alpha = 16, all seven projections).") { call in
                var config = LoRAConfig()
                for (index, field) in TrainingConfigFields.lora.enumerated() {
                    try field.set(&config, call[index])
                }
                do {
                    try config.validate()
                } catch let error as LoRAError {
                    throw call.error(error.description)
                }
                return .object(LoRAConfigObject(config))
            }
            for field in TrainingConfigFields.lora {
                type.property(field.name, field.type, doc: field.doc + " Default: \(defaultText(field, LoRAConfig())).",
                              set: { receiver, value in
                    guard case .object(let object as LoRAConfigObject) = receiver else {
                        throw RuntimeError("\(field.name) is a field of LoRAConfig, not of \(receiver.typeName)", kind: .typeMismatch)
                    }
                    var config = object.config
                    try field.set(&config, value)
                    do {
                        try config.validate()
                    } catch let error as LoRAError {
                        throw RuntimeError(error.description, kind: .invalidOperation)
                    }
                    receiver = .object(LoRAConfigObject(config))
                }) { receiver in
                    guard case .object(let object as LoRAConfigObject) = receiver else {
                        throw RuntimeError("\(field.name) is a field of LoRAConfig, not of \(receiver.typeName)", kind: .typeMismatch)
                    }
                    return field.get(object.config)
                }
            }
        }
    }

    private static func defaultText<C>(_ field: ConfigField<C>, _ defaults: C) -> String {
        Formatter.debugDescription(of: field.get(defaults))
    }

    private static func grpoConfig(_ value: Value) throws -> GRPOConfig {
        guard case .object(let object as GRPOConfigObject) = value else {
            throw RuntimeError("expected a GRPOConfig, got \(value.typeName)", kind: .typeMismatch)
        }
        return object.config
    }

    /// The checks on one field alone (its range or allowed values), made on the defaults with only
    /// that field changed so another field's state cannot hide them. Checks that tie several
    /// fields together (batch sizes against numGenerations) wait for GRPOTrainer(...).
    private static func checkField(_ field: ConfigField<GRPOConfig>, _ value: Value) throws {
        var probe = GRPOConfig()
        try field.set(&probe, value)
        do {
            try probe.validate()
        } catch let error as GRPOConfigError where error.fields == [field.name] {
            throw RuntimeError(error.message, kind: .invalidOperation)
        } catch {
            return
        }
    }

    /// The configuration a GRPOTrainer(...) argument holds.
    static func grpoConfig(_ call: NativeCall, _ name: String) throws -> GRPOConfig {
        guard let value = call.optional(name) else { return GRPOConfig() }
        guard case .object(let object as GRPOConfigObject) = value else {
            throw call.error("\(name) must be a GRPOConfig(...), got \(value.typeName)", kind: .typeMismatch)
        }
        return object.config
    }

    /// The LoRA settings a GRPOTrainer(...) argument holds (defaults when nil).
    static func loraConfig(_ call: NativeCall, _ name: String) throws -> LoRAConfig {
        guard let value = call.optional(name) else { return LoRAConfig() }
        guard case .object(let object as LoRAConfigObject) = value else {
            throw call.error("\(name) must be a LoRAConfig(rank:alpha:), got \(value.typeName)", kind: .typeMismatch)
        }
        return object.config
    }
}
