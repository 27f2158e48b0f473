import Tensor

/// One adapted projection's low-rank pair: the update scale · (x·Aᵀ)·Bᵀ that is added to the
/// frozen base product. A [rank, in] and B [out, rank] are PEFT's shapes and are leaf views into
/// the adapter's flat buffer, so their gradients land where the optimizer looks for them.
public final class LoRAProjection {
    /// The module path this pair adapts (`model.layers.0.self_attn.q_proj`).
    public let moduleName: String
    /// lora_A, [rank, inFeatures].
    public let a: Tensor
    /// lora_B, [outFeatures, rank].
    public let b: Tensor
    /// alpha/r (or alpha/√r with rsLoRA).
    public let scale: Float
    let dropout: LoRADropout?
    /// This projection's position in its adapter (keys its dropout masks).
    let index: Int

    init(moduleName: String, index: Int, a: Tensor, b: Tensor, scale: Float, dropout: LoRADropout?) {
        self.moduleName = moduleName
        self.index = index
        self.a = a
        self.b = b
        self.scale = scale
        self.dropout = dropout
    }

    public var rank: Int { a.shape[0] }
    public var inFeatures: Int { a.shape[1] }
    public var outFeatures: Int { b.shape[0] }

    /// scale · (dropout(x)·Aᵀ)·Bᵀ for x [rows, inFeatures], differentiable with respect to A, B
    /// and x. The scale is applied to the [rows, rank] intermediate, the smallest tensor on the
    /// way. Dropout masks inputs only while gradients are recorded (training); run scoring
    /// passes that should see no dropout inside `Autograd.noGrad`.
    public func delta(_ x: Tensor) -> Tensor {
        var input = x
        if let dropout, Tensor.isRecording([x, a, b]) { input = x * dropout.mask(for: x, projection: index) }
        return linear(linear(input, weight: a) * scale, weight: b)
    }

    /// `product` + `delta(x)` as one op that writes into `product`'s storage (see
    /// `addingLowRankUpdate`): pass the base projection's freshly made x·Wᵀ, read by nothing
    /// else. Keeps only x·Aᵀ ([rows, rank]) for the backward pass, where `product + delta(x)`
    /// kept the delta, the sum and two rank-wide intermediates.
    /// With nothing recorded, a few rows go through `addingLowRankUpdates` (no scratch tensor).
    public func adding(to product: Tensor, input x: Tensor) -> Tensor {
        guard Tensor.isRecording([x, a, b]) else {
            return addingLowRankUpdates(into: [product], input: x, factors: [LowRankFactors(a: a, b: b, scale: scale)])[0]
        }
        var input = x
        if let dropout { input = x * dropout.mask(for: x, projection: index) }
        return addingLowRankUpdate(into: product, input: input, a: a, b: b, scale: scale)
    }
}

/// Seeded inverted dropout for LoRA inputs: each scalar is kept with probability 1 − p and scaled
/// by 1/(1 − p).
///
/// A mask's seed is drawn from the adapter's dropout stream the first time a projection sees an
/// input, and remembered by (projection, input contents): when `Autograd.checkpoint` replays a
/// block during `backward()`, the same input gets the same mask, as recomputation requires.
/// `LoRAAdapter.zeroGradients()` forgets the seeds, so the next step (even over the same batch)
/// draws new masks.
final class LoRADropout {
    let probability: Float
    var stream: RandomStream
    private var seeds: [MaskKey: UInt64] = [:]
    /// Seeds kept at most (a trainer that never calls `zeroGradients()` still stays bounded).
    static let seedLimit = 65_536

    private struct MaskKey: Hashable {
        var projection: Int
        var shape: [Int]
        var fingerprint: UInt64
    }

    init(probability: Float, stream: RandomStream) {
        self.probability = probability
        self.stream = stream
    }

    /// The mask for `x` entering projection `projection`: zeros and 1/(1 − p), a constant (no
    /// gradient flows into it).
    func mask(for x: Tensor, projection: Int) -> Tensor {
        let key = MaskKey(projection: projection, shape: x.shape, fingerprint: LoRADropout.fingerprint(x))
        let seed: UInt64
        if let known = seeds[key] {
            seed = known
        } else {
            if seeds.count >= LoRADropout.seedLimit { seeds.removeAll() }
            seed = stream.next()
            seeds[key] = seed
        }
        var maskStream = RandomStream(seed: seed)
        let mask = Tensor(zeros: x.shape)
        let kept = 1 / (1 - probability)
        mask.withUnsafeMutableBufferPointer { values in
            for index in values.indices where maskStream.nextUniform() >= probability { values[index] = kept }
        }
        return mask
    }

    /// Forgets every remembered mask seed (a new training step starts).
    func forgetMasks() { seeds.removeAll() }

    /// FNV-1a over the scalars' bit patterns.
    private static func fingerprint(_ x: Tensor) -> UInt64 {
        x.withUnsafeBufferPointer { values in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for value in values { hash = (hash ^ UInt64(value.bitPattern)) &* 0x0000_0100_0000_01B3 }
            return hash
        }
    }
}
