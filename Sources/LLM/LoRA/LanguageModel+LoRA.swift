import Foundation
import Tensor

/// LoRA conveniences on a loaded model (the adapter lives on `network`).
extension LanguageModel {
    /// A fresh adapter (A Kaiming-uniform from `config.seed`, B zero), attached and enabled.
    @discardableResult
    public func attachLoRA(_ config: LoRAConfig) throws -> LoRAAdapter {
        let adapter = try LoRAAdapter.initialized(for: network, config: config)
        try network.attach(adapter)
        return adapter
    }

    /// Loads a PEFT adapter folder, checks it was trained on this model (unless `checkBaseModel`
    /// is false), and attaches it.
    @discardableResult
    public func loadLoRA(from folder: URL, checkBaseModel: Bool = true) throws -> LoRAAdapter {
        let adapter = try LoRAAdapter.load(from: folder, for: network,
                                           expectedBaseModel: checkBaseModel ? location.reference : nil)
        try network.attach(adapter)
        return adapter
    }

    /// Saves the attached adapter as a PEFT folder whose base model is this model's reference.
    public func saveLoRA(to folder: URL, dtype: SafetensorsDType = .float32) throws {
        guard let adapter = network.attachedAdapter else {
            throw LoRAError.invalidConfig("no adapter is attached to \(location.reference); attach or load one first")
        }
        try adapter.save(to: folder, baseModel: location.reference, dtype: dtype)
    }
}
