import Tensor

extension LoRAAdapter {
    /// An adapter whose B is random as well as A (A Kaiming-uniform as in `initialized`, B
    /// uniform in ±`bBound`, both from `config.seed`): it changes the model's outputs from the
    /// start. For testing exports and loaders against other tools, where a fresh adapter's zero
    /// B would make every comparison trivially pass; train a real adapter for anything else.
    public static func randomized(for network: CausalLanguageModel, config: LoRAConfig, bBound: Float = 0.05) throws -> LoRAAdapter {
        let adapter = try initialized(for: network, config: config)
        var stream = RandomStream(seed: config.seed ^ 0x5EED_B0B0_5EED_B0B0)
        for projection in adapter.projections {
            projection.b.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] = (2 * stream.nextUniform() - 1) * bBound }
            }
        }
        return adapter
    }
}
