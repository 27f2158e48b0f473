import Foundation
import LLM

/// Candidates for a base model and its LoRA adapters, sharing one set of base weights.
extension EvaluationCandidate {
    /// The base model as it is without adapters: an attached adapter is switched off while it
    /// answers and switched back on after.
    public static func base(_ name: String, model: LanguageModel) -> EvaluationCandidate {
        let wasEnabled = LockedBox(false)
        return EvaluationCandidate(name: name, model: model, prepare: { model in
            wasEnabled.update { $0 = model.network.isAdapterEnabled }
            model.network.isAdapterEnabled = false
        }, finish: { model in
            if wasEnabled.value { model.network.isAdapterEnabled = true }
        })
    }

    /// `model` with `adapter` attached while it answers; whatever was attached before is put back after.
    public static func adapter(_ name: String, model: LanguageModel, adapter: LoRAAdapter) -> EvaluationCandidate {
        let previous = LockedBox<(adapter: LoRAAdapter?, enabled: Bool)>((nil, false))
        return EvaluationCandidate(name: name, model: model, prepare: { model in
            previous.update { $0 = (model.network.attachedAdapter, model.network.isAdapterEnabled) }
            try model.network.attach(adapter)
        }, finish: { model in
            let (earlier, enabled) = previous.value
            guard let earlier else { return model.network.detachAdapter() }
            // It was attached to this model before, so it fits again.
            try? model.network.attach(earlier)
            model.network.isAdapterEnabled = enabled
        })
    }

    /// `model` with the PEFT adapter in `folder` (checked against the model) while it answers.
    public static func adapter(_ name: String, model: LanguageModel, folder: URL) throws -> EvaluationCandidate {
        let loaded = try LoRAAdapter.load(from: folder, for: model.network, expectedBaseModel: model.location.reference)
        return adapter(name, model: model, adapter: loaded)
    }
}
