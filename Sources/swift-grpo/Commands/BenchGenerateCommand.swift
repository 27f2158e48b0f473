import ArgumentParser
import Foundation
import LLM
import Tensor

/// `swift-grpo bench generate`: load time, prefill and decode throughput, peak memory.
struct BenchGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Time model loading, a 256-token prefill, 128-token decoding at batch 1 and 8, and a GRPO rollout.")

    @Option(help: "A registry name, a .gguf file, a Hugging Face folder or a cached HF id.")
    var model: String = ModelRegistry.defaultModelName
    @Option(help: "Threads for OpenBLAS and parallel loops (default: all cores).")
    var threads: Int?
    @Option(name: .customLong("prompt-tokens"), help: "Prompt length for the prefill measurement.")
    var promptTokens = 256
    @Option(name: .customLong("new-tokens"), help: "Tokens generated per sequence in the decode measurements.")
    var newTokens = 128
    @Option(help: "What to time: all (load, prefill, decode at batch 1 and 8, rollout) or rollout (load and rollout only, so the peak RSS is the rollout's).")
    var only: BenchGenerateCase = .all
    @Option(name: .customLong("rollout-prompts"), help: "Distinct prompts in the rollout.")
    var rolloutPrompts = 8
    @Option(name: .customLong("rollout-group"), help: "Completions per prompt in the rollout (GRPO's G).")
    var rolloutGroup = 4
    @Option(name: .customLong("kv-cache"), help: "How decoding's KV caches store rows: float16 or float32.")
    var kvCache: KeyValueFormatArgument = .init(GenerationOptions.defaultCacheFormat)

    func run() throws {
        if let threads {
            BLAS.setThreadCount(threads)
            Parallel.setThreadCount(threads)
        }
        let languageModel = try LanguageModel.load(model)
        let network = languageModel.network
        let weights = network.quantizedByteCount > 0 ? "GGUF blocks only (integer kernels for generation, dequantized tiles for scoring and training)" : "Float32 weights"
        print("model: \(languageModel.location.url.lastPathComponent), \(network.parameterCount) parameters, \(weights)")
        print("OpenBLAS core: \(BLAS.coreName), threads: \(BLAS.threadCount)")
        print(String(format: "load: %.2f s", languageModel.loadSeconds))

        // Token ids of real text, repeated to the wanted length.
        let seedText = "The patient presented with chest pain radiating to the left arm and shortness of breath. "
        let base = languageModel.tokenizer.encode(seedText)
        let prompt = (0..<promptTokens).map { base[$0 % base.count] }

        print("quantized kernels: \(QuantizedInstructionSet.current) (available: \(QuantizedInstructionSet.available.map(\.description).joined(separator: ", ")))")
        // Warm-up through the path generation takes (the block kernels, not the dequantizing sgemm,
        // whose scratch matrices and OpenBLAS buffers would otherwise count in the rollout's peak RSS).
        _ = try TextGenerator.prefill(Array(prompt.prefix(32)), into: network.makeCache(capacity: 32), model: network)
        if only == .all { try timePrefillAndDecode(network, prompt: prompt) }
        try timeRollout(network, base: base)
        if let peak = ProcessMemory.peakResidentBytes {
            print(String(format: "peak RSS: %.0f MiB", Double(peak) / 1_048_576))
        }
    }

    private func timePrefillAndDecode(_ network: CausalLanguageModel, prompt: [Int]) throws {
        let prefill = try time {
            _ = try TextGenerator.prefill(prompt, into: network.makeCache(capacity: prompt.count), model: network)
        }
        print(String(format: "prefill %d tokens: %.0f tokens/s (%.3f s)", prompt.count, Double(prompt.count) / prefill, prefill))

        for batch in [1, 8] {
            let prompts = (0..<batch).map { Array(prompt.prefix(16 + $0)) }
            let options = GenerationOptions(maxNewTokens: newTokens, sampling: .greedy, eosTokenIDs: [-1],
                                            cacheFormat: kvCache.format)
            var produced = 0
            let seconds = try time {
                produced = try TextGenerator(model: network, tokenizer: nil)
                    .generate(prompts: prompts, options: options).reduce(0) { $0 + $1.tokens.count }
            }
            print(String(format: "decode batch %d × %d new tokens: %.1f tokens/s (%.2f s, prefill included)",
                         batch, newTokens, Double(produced) / seconds, seconds))
        }
    }

    /// GRPO's rollout: `rolloutPrompts` prompts of about 64 tokens, `rolloutGroup` completions
    /// each (identical prompts side by side, as the trainer passes them), `newTokens` new tokens
    /// each (no EOS), sampled at T = 0.9.
    private func timeRollout(_ network: CausalLanguageModel, base: [Int]) throws {
        let prompts = (0..<rolloutPrompts).flatMap { p -> [[Int]] in
            let distinct = (0..<(60 + p)).map { base[($0 + 7 * p) % base.count] }
            return Array(repeating: distinct, count: rolloutGroup)
        }
        let options = GenerationOptions(maxNewTokens: newTokens, sampling: SamplingOptions(temperature: 0.9),
                                        eosTokenIDs: [-1], seed: 1, cacheFormat: kvCache.format)
        let start = DispatchTime.now().uptimeNanoseconds
        var firstToken: UInt64?, lastFirstToken: UInt64 = 0
        var started = Set<Int>()
        let results = try TextGenerator(model: network, tokenizer: nil).generate(prompts: prompts, options: options) { sequence, _, _ in
            if started.insert(sequence).inserted {
                let now = DispatchTime.now().uptimeNanoseconds
                if firstToken == nil { firstToken = now }
                lastFirstToken = now
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let produced = results.reduce(0) { $0 + $1.tokens.count }
        print(String(format: "rollout %d prompts × %d completions, %d-%d-token prompts, %d new tokens, T = 0.9: %.1f tokens/s (%.2f s, prefill included)",
                     rolloutPrompts, rolloutGroup, 60, 60 + rolloutPrompts - 1, newTokens, Double(produced) / seconds, seconds))
        print(String(format: "rollout time to first token: %.3f s (first sequence), %.3f s (every sequence)",
                     Double((firstToken ?? start) - start) / 1e9, Double(lastFirstToken - start) / 1e9))
    }

    private func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// `--kv-cache float16|float32`.
struct KeyValueFormatArgument: ExpressibleByArgument {
    let format: KeyValueFormat

    init(_ format: KeyValueFormat) { self.format = format }

    init?(argument: String) {
        switch argument.lowercased() {
        case "float16", "f16": format = .float16
        case "float32", "f32": format = .float32
        default: return nil
        }
    }

    var defaultValueDescription: String { format == .float16 ? "float16" : "float32" }
}

/// What `bench generate` times.
enum BenchGenerateCase: String, ExpressibleByArgument, CaseIterable {
    case all, rollout
}
