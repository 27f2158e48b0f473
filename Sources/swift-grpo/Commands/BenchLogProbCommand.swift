import ArgumentParser
import Foundation
import Tensor

/// `swift-grpo bench logprob`: the token log-prob op through a frozen LM head, plain vs fused.
struct BenchLogProbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logprob",
        abstract: "Time tokenLogProbs vs frozenHeadTokenLogProbs (V=49152, d=576), forward and forward+backward.")

    @Option(help: "Threads for OpenBLAS and parallel loops (default: all cores).")
    var threads: Int?

    @Option(help: "Measurement rounds per shape; the best round is reported.")
    var rounds: Int = 3

    @Option(parsing: .upToNextOption, help: "Token counts T to time.")
    var tokens: [Int] = [512, 1024]

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1.") }
        guard !tokens.isEmpty, tokens.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--tokens must be counts ≥ 1.") }
    }

    func run() throws {
        if let threads {
            BLAS.setThreadCount(threads)
            Parallel.setThreadCount(threads)
        }
        let coreType = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "(unset)"
        print("OpenBLAS core: \(BLAS.coreName) (OPENBLAS_CORETYPE=\(coreType)), threads: \(BLAS.threadCount)")
        for line in LogProbBenchmark.run(tokenCounts: tokens, rounds: rounds) { print(line) }
    }
}
