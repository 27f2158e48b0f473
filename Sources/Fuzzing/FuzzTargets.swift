/// Every fuzz target, by the name `swift-grpo fuzz TARGET` takes.
public enum FuzzTargets {
    public static let all: [FuzzTarget] = [
        ModelFileTargets.gguf, ModelFileTargets.safetensors, ModelFileTargets.config,
        TextTargets.tokenizer, ModelFileTargets.peft, TextTargets.chatTemplate,
        TextTargets.datasetJSON, TextTargets.datasetJSONL, TextTargets.datasetCSV, WireTarget.target,
    ]

    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}
