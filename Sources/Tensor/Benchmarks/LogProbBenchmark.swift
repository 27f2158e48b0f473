import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Times the token log-prob op through a frozen LM head (LoRA training): the plain
/// `tokenLogProbs` (1 product forward, 2 in the backward) against `frozenHeadTokenLogProbs`
/// (2 products forward, none in the backward). `swift-grpo bench logprob` prints the lines.
public enum LogProbBenchmark {
    /// Best-of-`rounds` wall and CPU seconds of each variant at one shape.
    public struct Result: Sendable {
        public var tokens: Int
        public var plainForward: OpsBenchmark.Timing
        public var plainTraining: OpsBenchmark.Timing
        public var frozenForward: OpsBenchmark.Timing
        public var frozenTraining: OpsBenchmark.Timing
    }

    /// Measures forward (recording) and forward + backward (d hidden) of both ops; also checks
    /// that they agree, so a fast but wrong variant cannot be reported.
    public static func measure(tokens: Int, dim: Int = 576, vocabulary: Int = 49152, rounds: Int = 3) -> Result {
        var random = RandomStream(seed: 12)
        let hidden = Tensor.normal([tokens, dim], using: &random)
        let weight = Tensor.uniform([vocabulary, dim], in: -0.1...0.1, using: &random)
        let targets = (0..<tokens).map { ($0 * 7919) % vocabulary }
        let ones = Tensor(shape: [tokens], repeating: 1)
        hidden.requiresGrad = true
        let plainForward = { _ = tokenLogProbs(hidden: hidden, weight: weight, targets: targets) }
        let frozenForward = { _ = frozenHeadTokenLogProbs(hidden: hidden, weight: weight, targets: targets) }
        let plainTraining = {
            hidden.zeroGradient()
            tokenLogProbs(hidden: hidden, weight: weight, targets: targets).logProbs.backward(ones)
        }
        let frozenTraining = {
            hidden.zeroGradient()
            frozenHeadTokenLogProbs(hidden: hidden, weight: weight, targets: targets).logProbs.backward(ones)
        }
        plainTraining()
        let plainGradient = hidden.grad?.scalars ?? []
        frozenTraining()
        let frozenGradient = hidden.grad?.scalars ?? []
        let difference = zip(plainGradient, frozenGradient).map { abs($0 - $1) }.max() ?? .infinity
        precondition(plainGradient.count == frozenGradient.count && difference < 1e-4,
                     "LogProbBenchmark: the frozen-head gradient differs from the plain one by \(difference)")
        return Result(tokens: tokens,
                      plainForward: best(of: rounds, plainForward), plainTraining: best(of: rounds, plainTraining),
                      frozenForward: best(of: rounds, frozenForward), frozenTraining: best(of: rounds, frozenTraining))
    }

    /// One line per variant for each token count.
    public static func run(tokenCounts: [Int] = [512, 1024], rounds: Int = 3) -> [String] {
        var lines: [String] = []
        for tokens in tokenCounts {
            let result = measure(tokens: tokens, rounds: rounds)
            func line(_ name: String, _ timing: OpsBenchmark.Timing) -> String {
                String(format: "T=%d V=49152 d=576 %@: %.0f ms, %.0f tokens/s (CPU %.0f ms)", tokens, name,
                       timing.wall * 1000, Double(tokens) / timing.wall, timing.cpu * 1000)
            }
            lines.append(line("plain  fwd (recording)", result.plainForward))
            lines.append(line("frozen fwd (recording)", result.frozenForward))
            lines.append(line("plain  fwd+bwd        ", result.plainTraining))
            lines.append(line("frozen fwd+bwd        ", result.frozenTraining))
            lines.append(String(format: "T=%d fwd+bwd speed-up frozen/plain: %.2fx", tokens,
                                result.plainTraining.wall / result.frozenTraining.wall))
        }
        return lines
    }

    private static func best(of rounds: Int, _ body: () -> Void) -> OpsBenchmark.Timing {
        var fastest = OpsBenchmark.Timing(wall: .infinity, cpu: .infinity)
        for _ in 0..<max(1, rounds) {
            let start = DispatchTime.now().uptimeNanoseconds, startCPU = cpuSeconds()
            body()
            let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if wall < fastest.wall { fastest = OpsBenchmark.Timing(wall: wall, cpu: cpuSeconds() - startCPU) }
        }
        return fastest
    }

    private static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
