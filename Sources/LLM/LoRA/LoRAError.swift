/// What can go wrong building, attaching, saving or loading a LoRA adapter. Each message names
/// the offending item and says what to do next.
public enum LoRAError: Error, CustomStringConvertible, Equatable {
    /// A `LoRAConfig` value that cannot make an adapter.
    case invalidConfig(String)
    /// Target names that match none of the model's projections.
    case unknownTargetModules(names: [String], available: [String])
    /// The adapter was made for a module this model lacks, or for a different shape.
    case adapterDoesNotFit(module: String, detail: String)
    /// A file of the adapter folder is missing.
    case missingFile(path: String)
    /// adapter_config.json is unreadable or is not a LoRA config.
    case invalidAdapterConfig(path: String, detail: String)
    /// A PEFT option this engine does not implement (DoRA, trained biases, fan_in_fan_out, …).
    case unsupportedOption(name: String, value: String, path: String)
    /// The adapter was trained on another base model.
    case baseModelMismatch(adapterBase: String, model: String, path: String)
    /// Tensors the config implies but the safetensors file lacks.
    case missingTensors(names: [String], path: String)
    /// Tensors in the safetensors file that no adapted module explains.
    case unexpectedTensors(names: [String], path: String)
    /// A tensor whose shape does not fit the model's projection.
    case wrongShape(name: String, expected: [Int], actual: [Int], path: String)
    /// Writing the adapter folder failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidConfig(detail):
            return "Invalid LoRA configuration: \(detail)."
        case let .unknownTargetModules(names, available):
            return "This model has no projection named \(names.map { "'\($0)'" }.joined(separator: ", ")). "
                + "Its projections are: \(available.joined(separator: ", ")); pick target modules from these."
        case let .adapterDoesNotFit(module, detail):
            return "The adapter does not fit this model at '\(module)': \(detail). Attach it to the model it was made for."
        case let .missingFile(path):
            return "\(path) does not exist. A PEFT adapter folder holds adapter_config.json and adapter_model.safetensors."
        case let .invalidAdapterConfig(path, detail):
            return "\(path) is not a usable LoRA adapter config: \(detail)."
        case let .unsupportedOption(name, value, path):
            return "\(path) sets \(name) = \(value), which this engine does not support. "
                + "Re-train or re-export the adapter with plain LoRA (\(name) at its default)."
        case let .baseModelMismatch(adapterBase, model, path):
            return "\(path) was trained on '\(adapterBase)', but the loaded model is '\(model)'. "
                + "Load the adapter onto its base model, or pass expectedBaseModel: nil to skip this check."
        case let .missingTensors(names, path):
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", … (\(names.count) in all)" : "")
            return "\(path) lacks tensors the adapter config implies: \(shown). The file is incomplete or belongs to another config."
        case let .unexpectedTensors(names, path):
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", … (\(names.count) in all)" : "")
            return "\(path) holds tensors no target module explains: \(shown). "
                + "Only lora_A/lora_B weights of the config's target_modules are supported (no modules_to_save, biases or embeddings)."
        case let .wrongShape(name, expected, actual, path):
            return "Tensor '\(name)' in \(path) has shape \(actual), but this model needs \(expected). "
                + "The adapter belongs to another model size or rank."
        case let .writeFailed(path, reason):
            return "Could not write the adapter to \(path): \(reason). Check that the folder is writable and the disk has space."
        }
    }
}
