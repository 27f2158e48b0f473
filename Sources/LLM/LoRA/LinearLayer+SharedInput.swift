import Tensor

extension LinearLayer {
    /// `layers.map { $0(x) }` for layers that read the same input (q, k and v; gate and up).
    /// With nothing recorded (generation, scoring), the LoRA updates of the adapted layers go
    /// through one `addingLowRankUpdates` call, which over a few rows (decode steps) reads x
    /// once for all of them; while recording (training), each layer is called on its own.
    public static func products(of layers: [LinearLayer], sharingInput x: Tensor) -> [Tensor] {
        let pairs = layers.map { ($0.weight as? AdaptableWeight)?.lora }
        let adapted = pairs.compactMap { $0 }
        guard adapted.count > 1, !Tensor.isRecording([x] + adapted.flatMap { [$0.a, $0.b] }) else {
            return layers.map { $0(x) }
        }
        var outputs: [Tensor] = [], updated: [Int] = [], factors: [LowRankFactors] = []
        for (index, (layer, pair)) in zip(layers, pairs).enumerated() {
            guard let pair, let adaptable = layer.weight as? AdaptableWeight else {
                outputs.append(layer(x))
                continue
            }
            outputs.append(adaptable.baseProduct(x, addingBias: layer.bias))
            updated.append(index)
            factors.append(LowRankFactors(a: pair.a, b: pair.b, scale: pair.scale))
        }
        let results = addingLowRankUpdates(into: updated.map { outputs[$0] }, input: x, factors: factors)
        for (index, result) in zip(updated, results) { outputs[index] = result }
        return outputs
    }
}
