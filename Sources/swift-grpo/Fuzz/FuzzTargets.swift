/// Every fuzz target, by the name `swift-grpo fuzz TARGET` takes.
enum FuzzTargets {
    static let all: [FuzzTarget] = [
        ModelFileTargets.gguf, ModelFileTargets.safetensors, ModelFileTargets.config,
        TextTargets.tokenizer, ModelFileTargets.peft, TextTargets.chatTemplate,
        TextTargets.datasetJSON, TextTargets.datasetJSONL, TextTargets.datasetCSV, WireTarget.target,
    ]

    static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}
