import Foundation

/// Attaching, disabling and swapping LoRA adapters on a loaded model. The base weights are
/// shared, never copied: the KL reference policy of GRPO is this same model with the adapter
/// disabled. The adapter state belongs to the model, so change it only while no other thread
/// runs the model.
extension CausalLanguageModel {
    /// Puts `adapter` into every projection it adapts (replacing any attached adapter) and enables
    /// it. Throws `LoRAError.adapterDoesNotFit` when the model lacks one of its modules or a
    /// shape differs; the model is then left as it was.
    public func attach(_ adapter: LoRAAdapter) throws {
        for projection in adapter.projections {
            guard let weight = projections[projection.moduleName] else {
                throw LoRAError.adapterDoesNotFit(module: projection.moduleName, detail: "this model has no such projection")
            }
            guard weight.inFeatures == projection.inFeatures, weight.outFeatures == projection.outFeatures else {
                throw LoRAError.adapterDoesNotFit(
                    module: projection.moduleName,
                    detail: "the projection is [\(weight.outFeatures), \(weight.inFeatures)] but the adapter's B·A is [\(projection.outFeatures), \(projection.inFeatures)]")
            }
        }
        projections.attachedAdapter = adapter
        projections.isAdapterEnabled = true
        projections.refreshSlots()
    }

    /// Removes the attached adapter; the model computes with its base weights alone again.
    public func detachAdapter() {
        projections.attachedAdapter = nil
        projections.isAdapterEnabled = true
        projections.refreshSlots()
    }

    /// The adapter attached with `attach(_:)`, enabled or not.
    public var attachedAdapter: LoRAAdapter? { projections.attachedAdapter }

    /// Whether the attached adapter takes part in forward passes (`attach` turns it on). False
    /// when no adapter is attached.
    public var isAdapterEnabled: Bool {
        get { projections.attachedAdapter != nil && projections.isAdapterEnabled }
        set {
            guard newValue != projections.isAdapterEnabled else { return }
            projections.isAdapterEnabled = newValue
            projections.refreshSlots()
        }
    }

    /// Runs `body` on the base model (the attached adapter switched off), then restores the
    /// previous state, also when `body` throws.
    public func withAdapterDisabled<R>(_ body: () throws -> R) rethrows -> R {
        let wasEnabled = projections.isAdapterEnabled
        isAdapterEnabled = false
        defer { isAdapterEnabled = wasEnabled }
        return try body()
    }
}
