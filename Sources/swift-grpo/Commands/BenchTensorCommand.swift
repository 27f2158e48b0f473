import ArgumentParser
import Foundation
import Tensor

/// `swift-grpo bench tensor`: matmul throughput against raw cblas_sgemm, then forward+backward of a
/// SmolLM2-shaped block and of the chunked token log-prob op. Numbers go to BENCHMARKS.md.
struct BenchTensorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tensor",
        abstract: "Time the tensor engine: matmul vs raw cblas_sgemm, a SmolLM2 block, chunked log-probs.")

    @Option(help: "Threads for OpenBLAS and parallel loops (default: all cores).")
    var threads: Int?

    @Option(help: "Measurement rounds per shape; the best round is reported.")
    var rounds: Int = 5

    @Option(help: "Minimum seconds of calls per timed round.")
    var seconds: Double = 0.2

    @Flag(help: "Only the matmul table (skip the model-shaped benchmarks).")
    var matmulOnly = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1.") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive.") }
    }

    func run() throws {
        if let threads {
            BLAS.setThreadCount(threads)
            Parallel.setThreadCount(threads)
        }
        let coreType = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "(unset)"
        print("OpenBLAS core: \(BLAS.coreName) (OPENBLAS_CORETYPE=\(coreType)), threads: \(BLAS.threadCount)")
        print("matmul [m×k]·[k×n]          raw sgemm GFLOP/s   Tensor.matmul GFLOP/s   ratio")
        for shape in MatmulBenchmark.defaultShapes {
            let result = MatmulBenchmark.measure(m: shape.m, k: shape.k, n: shape.n, rounds: rounds, minimumSeconds: seconds)
            let label = "[\(result.m)×\(result.k)]·[\(result.k)×\(result.n)]"
            print(label.padding(toLength: 28, withPad: " ", startingAt: 0)
                + format(result.rawGFLOPS, width: 18) + format(result.tensorGFLOPS, width: 24)
                + format(result.ratio * 100, width: 7, decimals: 1) + "%")
        }
        guard !matmulOnly else { return }
        for line in OpsBenchmark.run(rounds: rounds) { print(line) }
    }

    private func format(_ value: Double, width: Int, decimals: Int = 1) -> String {
        let text = String(format: "%.\(decimals)f", value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
