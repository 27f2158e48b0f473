// The prelude: what a notebook sees beyond the standard library — models, datasets and rewards.
//
// Each concept registers its own members (ModelBindings, DatasetBindings, RewardBindings); the
// objects they hand to cells are thin `NativeObject` wrappers around the LLM and GRPO types, so
// everything a cell can do is also plain Swift one layer down.

/// Registers the prelude's types and functions.
enum Prelude {
    static func register(in registry: NativeRegistry) {
        ModelBindings.register(in: registry)
        AdapterBindings.register(in: registry)
        DatasetBindings.register(in: registry)
        RewardBindings.register(in: registry)
        EvaluationBindings.register(in: registry)
        TrainingConfigBindings.register(in: registry)
        TrainerBindings.register(in: registry)
    }
}
