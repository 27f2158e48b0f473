import ArgumentParser
import Foundation
import Runtime

/// `swift-grpo bench language`: the interpreter on recursive calls and on a hot loop.
struct BenchLanguageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "language",
        abstract: "Time the cell-language interpreter: recursive fib(25) and a 10^6-iteration loop with appends.")

    @Option(help: "Rounds per benchmark; the best round is reported.")
    var rounds: Int = 3

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1.") }
    }

    static let benchmarks: [(name: String, setup: String, code: String, expected: String)] = [
        ("fib(25), recursive",
         "func fib(_ n: Int) -> Int { if n < 2 { return n }; return fib(n - 1) + fib(n - 2) }",
         "fib(25)", "75025"),
        ("10^6 iterations: arithmetic + append",
         "",
         """
         var xs: [Int] = []
         var total = 0
         for i in 0..<1_000_000 {
             total += i * 2 % 7
             xs.append(i)
         }
         total + xs.count
         """, "3999997"),
    ]

    func run() throws {
        print("benchmark                                 wall (best of \(rounds))   cpu      result")
        for benchmark in Self.benchmarks {
            var best = Double.infinity
            var bestCPU = Double.infinity
            var result = ""
            for _ in 0..<rounds {
                let session = Session(output: MemorySink())
                if !benchmark.setup.isEmpty, case .failure(let error) = session.execute(benchmark.setup) {
                    throw ValidationError("benchmark setup failed: \(error.message)")
                }
                let cpuStart = Self.processCPUSeconds()
                let start = DispatchTime.now().uptimeNanoseconds
                let outcome = session.execute(benchmark.code)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                bestCPU = min(bestCPU, Self.processCPUSeconds() - cpuStart)
                switch outcome {
                case .success(let bundle): result = bundle?.plainText ?? ""
                case .failure(let error): throw ValidationError("benchmark failed: \(error.message)")
                }
                best = min(best, seconds)
            }
            let check = result == benchmark.expected ? "" : "  (expected \(benchmark.expected))"
            print(benchmark.name.padding(toLength: 42, withPad: " ", startingAt: 0)
                  + String(format: "%10.3f s        %6.3f s", best, bestCPU) + "   " + result + check)
        }
    }

    /// User plus system CPU seconds of this process (the wall clock also counts other load).
    static func processCPUSeconds() -> Double {
        Double(clock()) / Double(CLOCKS_PER_SEC)
    }
}
