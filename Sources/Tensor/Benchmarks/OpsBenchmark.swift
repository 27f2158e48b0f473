import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Times the model-shaped ops: one SmolLM2-135M decoder block forward+backward and the
/// chunked token log-prob op at the full vocabulary. `swift-grpo bench tensor` prints the lines.
public enum OpsBenchmark {
    /// SmolLM2-135M's block shapes.
    public struct BlockShape: Sendable {
        public var tokens = 256
        public var dim = 576
        public var heads = 9
        public var kvHeads = 3
        public var ffn = 1536
        public var ropeBase: Float = 100_000

        public init() {}
    }

    /// A best-of-N measurement: wall seconds, and the process CPU seconds of that same round
    /// (all threads; on a busy machine wall time grows while CPU time does not).
    public struct Timing: Sendable {
        public var wall: Double
        public var cpu: Double
    }

    /// One line per measurement, ready to print.
    public static func run(rounds: Int = 3) -> [String] {
        var lines: [String] = []
        let block = BlockShape()
        for trainWeights in [true, false] {
            let timing = blockTiming(block, trainWeights: trainWeights, rounds: rounds)
            let label = trainWeights ? "all weights trained" : "weights frozen, LoRA-like"
            lines.append(String(format: "block fwd+bwd T=%d d=%d heads 9/3 FFN %d (%@): %.1f ms, %.0f tokens/s (CPU %.1f ms)",
                                block.tokens, block.dim, block.ffn, label, timing.wall * 1000,
                                Double(block.tokens) / timing.wall, timing.cpu * 1000))
        }
        for tokens in [256, 1024] {
            let (forward, total) = logProbTiming(tokens: tokens, dim: 576, vocabulary: 49152, rounds: rounds)
            lines.append(String(format: "token log-probs V=49152 d=576 T=%d: fwd %.0f ms, %.0f tokens/s (CPU %.0f ms); fwd+bwd (d hidden) %.0f ms, %.0f tokens/s (CPU %.0f ms)",
                                tokens, forward.wall * 1000, Double(tokens) / forward.wall, forward.cpu * 1000,
                                total.wall * 1000, Double(tokens) / total.wall, total.cpu * 1000))
        }
        return lines
    }

    /// Best-of-`rounds` time of one block's forward and backward.
    public static func blockTiming(_ shape: BlockShape, trainWeights: Bool, rounds: Int = 3) -> Timing {
        var random = RandomStream(seed: 11)
        func parameter(_ dims: [Int], scale: Float) -> Tensor {
            let tensor = Tensor.normal(dims, standardDeviation: scale, using: &random)
            tensor.requiresGrad = trainWeights
            return tensor
        }
        let headDim = shape.dim / shape.heads, kvWidth = shape.kvHeads * headDim
        func normWeight() -> Tensor {
            let tensor = Tensor(shape: [shape.dim], repeating: 1)
            tensor.requiresGrad = trainWeights
            return tensor
        }
        let weights = (
            attentionNorm: normWeight(), mlpNorm: normWeight(),
            q: parameter([shape.dim, shape.dim], scale: 0.04), k: parameter([kvWidth, shape.dim], scale: 0.04),
            v: parameter([kvWidth, shape.dim], scale: 0.04), o: parameter([shape.dim, shape.dim], scale: 0.04),
            gate: parameter([shape.ffn, shape.dim], scale: 0.04), up: parameter([shape.ffn, shape.dim], scale: 0.04),
            down: parameter([shape.dim, shape.ffn], scale: 0.025))
        let table = RoPETable(rotaryDim: headDim, maxPositions: shape.tokens, base: shape.ropeBase)
        let positions = Array(0..<shape.tokens)
        let configuration = AttentionConfiguration(queryCount: shape.tokens, heads: shape.heads,
                                                   kvHeads: shape.kvHeads, headDim: headDim)
        let input = Tensor.normal([shape.tokens, shape.dim], using: &random)
        input.requiresGrad = true
        let upstream = Tensor.normal([shape.tokens, shape.dim], using: &random)
        let step = {
            let h = rmsNorm(input, weight: weights.attentionNorm, eps: 1e-5)
            let q = rotaryEmbedding(linear(h, weight: weights.q), table: table, positions: positions, heads: shape.heads)
            let k = rotaryEmbedding(linear(h, weight: weights.k), table: table, positions: positions, heads: shape.kvHeads)
            let v = linear(h, weight: weights.v)
            let attended = attention(query: q, key: k, value: v, configuration: configuration)
            let residual = input + linear(attended, weight: weights.o)
            let m = rmsNorm(residual, weight: weights.mlpNorm, eps: 1e-5)
            let activated = swiglu(gate: linear(m, weight: weights.gate), up: linear(m, weight: weights.up))
            let out = residual + linear(activated, weight: weights.down)
            out.backward(upstream)
        }
        step()
        return best(of: rounds, step)
    }

    /// Best-of-`rounds` times of the forward alone and of forward+backward (d hidden only).
    public static func logProbTiming(tokens: Int, dim: Int, vocabulary: Int, rounds: Int = 3) -> (forward: Timing, total: Timing) {
        var random = RandomStream(seed: 12)
        let hidden = Tensor.normal([tokens, dim], using: &random)
        let weight = Tensor.uniform([vocabulary, dim], in: -0.1...0.1, using: &random)
        let targets = (0..<tokens).map { ($0 * 7919) % vocabulary }
        let forward = { _ = Autograd.noGrad { tokenLogProbs(hidden: hidden, weight: weight, targets: targets) } }
        let both = {
            hidden.requiresGrad = true
            hidden.zeroGradient()
            tokenLogProbs(hidden: hidden, weight: weight, targets: targets).logProbs
                .backward(Tensor(shape: [tokens], repeating: 1))
        }
        forward()
        return (best(of: rounds, forward), best(of: rounds, both))
    }

    /// The round with the shortest wall time among `rounds` runs of `body`.
    private static func best(of rounds: Int, _ body: () -> Void) -> Timing {
        var fastest = Timing(wall: .infinity, cpu: .infinity)
        for _ in 0..<max(1, rounds) {
            let start = DispatchTime.now().uptimeNanoseconds, startCPU = processCPUSeconds()
            body()
            let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if wall < fastest.wall { fastest = Timing(wall: wall, cpu: processCPUSeconds() - startCPU) }
        }
        return fastest
    }

    private static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
