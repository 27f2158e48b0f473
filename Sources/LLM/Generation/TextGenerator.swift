import Foundation
import Tensor

/// Batched autoregressive generation with a KV cache per sequence.
///
/// - Identical prompts (the G completions of one GRPO prompt) are prefilled once: each
///   completion's cache starts from that one prefill and samples its first token from the same
///   logits with its own random stream.
/// - Continuous batching: at most `batchWidth` sequences decode together, one token each per
///   step; when one finishes, the next waiting sequence (in index order) takes its slot.
/// - Results do not depend on the batch: sequence i always samples from the stream of
///   (seed, i), each prompt's prefill is its own forward pass, and every prefill and decode step
///   reads quantized weights (`QuantizedWeight.decodingSteps`), whose products treat each row on its own.
public struct TextGenerator {
    public let model: CausalLanguageModel
    /// Decodes text for stop strings and streaming; without one, `text` stays empty.
    public let tokenizer: Tokenizer?

    /// How many sequences decode together: GRPO's 8 prompts × 4 completions fit one batch.
    public static let batchWidth = 32

    /// The most logits one decode step holds at once, in bytes: the head's product runs over as
    /// many rows at a time as fit, so a full batch over a large vocabulary (32 × 262k for
    /// Gemma 3: 32 MiB) is never held whole. Each row's logits are the same either way.
    public var logitsBudget = 16 << 20

    /// Decode steps between two returns of free heap pages to the system (`FreeHeapPages`): a
    /// rollout of SmolLM2 peaked at 248–264 MiB without them, at 246–249 MiB with one every 16 steps.
    static let stepsBetweenHeapTrims = 16

    public init(model: CausalLanguageModel, tokenizer: Tokenizer?) {
        self.model = model
        self.tokenizer = tokenizer
    }

    /// Runs `prompt` through `model`, filling `cache`, and returns the last position's logits
    /// [1, vocabulary]. Quantized weights use the integer block kernels, as decode steps do: with
    /// AVX-512 VNNI they multiply a prompt's rows about 2× faster than the dequantizing sgemm
    /// (BENCHMARKS.md), at the price of rounding activations to 8 bits.
    public static func prefill(_ prompt: [Int], into cache: KVCache, model: CausalLanguageModel) throws -> Tensor {
        try Autograd.noGrad {
            try QuantizedWeight.decodingSteps {
                let hidden = try model.hiddenStates(SequenceBatch(tokens: [prompt], caches: [cache]))
                return model.logits(hidden.rows((prompt.count - 1) ..< prompt.count))
            }
        }
    }

    /// Generates a continuation of each prompt. `onToken(sequence, id, newText)` streams each
    /// token as it is chosen; `isCancelled` is polled between steps (the cell's interrupt flag).
    public func generate(prompts: [[Int]], options: GenerationOptions,
                         onToken: ((_ sequence: Int, _ token: Int, _ text: String) -> Void)? = nil,
                         isCancelled: () -> Bool = { false }) throws -> [GenerationResult] {
        guard !prompts.isEmpty else { return [] }
        guard prompts.allSatisfy({ !$0.isEmpty }) else { throw GenerationError.emptyPrompt }
        if options.maxNewTokens <= 0 {
            return prompts.map { _ in GenerationResult(tokens: [], text: "", finishReason: .maxNewTokens) }
        }
        var run = GenerationRun(prompts: prompts, options: options, model: model, tokenizer: tokenizer,
                                logitsBudget: logitsBudget, onToken: onToken)
        var waiting = prompts.indices.makeIterator()
        var running: [Int] = []
        var steps = 0
        while true {
            if isCancelled() {
                run.cancel(running)
                break
            }
            // Fill free slots from the queue; a sequence can finish on its first token.
            while running.count < TextGenerator.batchWidth, let next = waiting.next() {
                if try run.start(next) { running.append(next) }
            }
            if running.isEmpty { break }
            running = try run.step(running)
            steps += 1
            if steps % TextGenerator.stepsBetweenHeapTrims == 0 { FreeHeapPages.release() }
        }
        return run.results
    }
}

/// The state of one `generate` call: sequences, their prompt groups, the sampler.
private struct GenerationRun {
    let model: CausalLanguageModel
    let tokenizer: Tokenizer?
    let options: GenerationOptions
    let sampler: Sampler
    let scratches = SamplingScratchPool()
    let logitsBudget: Int
    let onToken: ((Int, Int, String) -> Void)?
    let prompts: [[Int]]
    /// Sequence index → its prompt group (sequences with identical prompts share one).
    let groupOf: [Int]
    var groups: [PromptGroup]
    var states: [SequenceState?]
    var results: [GenerationResult]

    init(prompts: [[Int]], options: GenerationOptions, model: CausalLanguageModel, tokenizer: Tokenizer?,
         logitsBudget: Int, onToken: ((Int, Int, String) -> Void)?) {
        self.model = model
        self.logitsBudget = logitsBudget
        self.tokenizer = tokenizer
        self.options = options
        self.onToken = onToken
        self.prompts = prompts
        sampler = Sampler(options: options.sampling)
        var groupIndex: [[Int]: Int] = [:]
        var groups: [PromptGroup] = []
        groupOf = prompts.map { prompt in
            if let existing = groupIndex[prompt] {
                groups[existing].pendingMembers += 1
                return existing
            }
            groupIndex[prompt] = groups.count
            groups.append(PromptGroup(pendingMembers: 1))
            return groups.count - 1
        }
        self.groups = groups
        states = Array(repeating: nil, count: prompts.count)
        results = prompts.map { _ in GenerationResult(tokens: [], text: "", finishReason: .cancelled) }
    }

    /// Starts sequence `index`: prefills its prompt unless a sequence with the same prompt did,
    /// continues that cache, and samples the first token. True while it has more to generate.
    mutating func start(_ index: Int) throws -> Bool {
        let group = groupOf[index]
        if groups[group].prefix == nil {
            let prompt = prompts[index]
            let cache = model.makeCache(capacity: prompt.count, format: options.cacheFormat)
            let logits = try TextGenerator.prefill(prompt, into: cache, model: model)
            groups[group].prefix = cache
            groups[group].lastLogits = logits.scalars
        }
        guard let prefix = groups[group].prefix, let logits = groups[group].lastLogits else { return false }
        var state = SequenceState(prompt: prompts[index], seed: options.seed, index: index,
                                  cache: prefix.continuation(capacity: prompts[index].count + options.maxNewTokens),
                                  decoder: tokenizer?.streamingDecoder(skipSpecialTokens: true))
        groups[group].pendingMembers -= 1
        if groups[group].pendingMembers == 0 { groups[group] = PromptGroup(pendingMembers: 0) }  // frees the prefix
        let running = logits.withUnsafeBufferPointer { sample(&state, index: index, logits: $0) }
        finishOrKeep(state, index: index)
        return running
    }

    /// One decode step over `running` (one new token each); returns those still running.
    mutating func step(_ running: [Int]) throws -> [Int] {
        let caches = running.map { states[$0]!.cache }
        let batch = SequenceBatch(tokens: running.map { [states[$0]!.generated.last!] }, caches: caches)
        let hidden: Tensor = try Autograd.noGrad {
            try QuantizedWeight.decodingSteps { try model.hiddenStates(batch) }
        }
        let vocabulary = model.config.vocabularySize
        let rowsPerPass = max(1, logitsBudget / (vocabulary * MemoryLayout<Float>.size))
        var tokens = [Int](repeating: 0, count: running.count)
        for lower in stride(from: 0, to: running.count, by: rowsPerPass) {
            let upper = min(lower + rowsPerPass, running.count)
            let logits = Autograd.noGrad {
                QuantizedWeight.decodingSteps { model.logits(hidden.rows(lower ..< upper)) }
            }
            sampleTokens(Array(running[lower ..< upper]), logits: logits, into: &tokens[lower ..< upper])
        }
        var stillRunning: [Int] = []
        for (row, index) in running.enumerated() {
            var state = states[index]!
            if record(tokens[row], in: &state, index: index) { stillRunning.append(index) }
            finishOrKeep(state, index: index)
        }
        return stillRunning
    }

    /// Draws the next token of each of `running` from its row of `logits` into `tokens`, rows
    /// spread over the cores (each sequence has its own random stream, so the draws do not
    /// depend on which thread makes them); recording and streaming stay on this thread.
    private mutating func sampleTokens(_ running: [Int], logits: Tensor, into tokens: inout ArraySlice<Int>) {
        let vocabulary = logits.shape[1]
        let sampler = self.sampler, scratches = self.scratches
        logits.withUnsafeBufferPointer { rows in
            states.withUnsafeMutableBufferPointer { states in
                tokens.withUnsafeMutableBufferPointer { tokens in
                    KernelWorkers.forEachChunk(of: running.count, costPerItem: vocabulary * 8) { chunk in
                        scratches.withScratch { scratch in
                            for row in chunk {
                                let index = running[row]
                                let scores = UnsafeBufferPointer(rebasing: rows[(row * vocabulary) ..< ((row + 1) * vocabulary)])
                                tokens[row] = sampler.nextToken(logits: scores, context: states[index]!.context, scratch: scratch,
                                                                uniform: { states[index]!.random.nextUniformDouble() })
                            }
                        }
                    }
                }
            }
        }
    }

    /// Chooses, records and streams the next token of sequence `index`; true unless it finished.
    private func sample(_ state: inout SequenceState, index: Int, logits: UnsafeBufferPointer<Float>) -> Bool {
        let token = scratches.withScratch { scratch in
            sampler.nextToken(logits: logits, context: state.context, scratch: scratch,
                              uniform: { state.random.nextUniformDouble() })
        }
        return record(token, in: &state, index: index)
    }

    /// Records and streams `token` as sequence `index`'s next one; true unless it finished.
    private func record(_ token: Int, in state: inout SequenceState, index: Int) -> Bool {
        let text = state.accept(token, options: options)
        onToken?(index, token, text)
        return state.finishReason == nil
    }

    /// Keeps a running sequence's state, or stores a finished one's result (freeing its cache).
    private mutating func finishOrKeep(_ state: SequenceState, index: Int) {
        if state.finishReason == nil {
            states[index] = state
        } else {
            results[index] = state.result
            states[index] = nil
        }
    }

    /// Marks `running` sequences cancelled; waiting ones stay cancelled with no tokens.
    mutating func cancel(_ running: [Int]) {
        for index in running {
            guard var state = states[index] else { continue }
            state.finish(.cancelled)
            results[index] = state.result
            states[index] = nil
        }
    }
}

/// Sequences with one prompt: its prefilled cache and last-position logits, kept until every
/// member has started.
private struct PromptGroup {
    var pendingMembers: Int
    var prefix: KVCache?
    var lastLogits: [Float]?
}

/// One sequence during generation.
private struct SequenceState {
    var context: [Int]
    var generated: [Int] = []
    var text = ""
    var random: RandomStream
    let cache: KVCache
    let decoder: StreamingDecoder?
    var finishReason: GenerationResult.FinishReason?

    init(prompt: [Int], seed: UInt64, index: Int, cache: KVCache, decoder: StreamingDecoder?) {
        context = prompt
        random = RandomStream(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1))
        self.cache = cache
        self.decoder = decoder
    }

    /// Records `token`; returns the text it adds (empty once a stop string is reached).
    mutating func accept(_ token: Int, options: GenerationOptions) -> String {
        context.append(token)
        generated.append(token)
        var added = ""
        if options.eosTokenIDs.contains(token) {
            finish(.endOfSequence)
            added = decoder?.finish() ?? ""
        } else if let decoder {
            added = decoder.append(token)
        }
        let before = text.count
        text += added
        if let stop = options.stopStrings.first(where: { text.contains($0) }), let range = text.range(of: stop) {
            text = String(text[..<range.lowerBound])
            added = text.count > before ? String(text.dropFirst(before)) : ""
            finish(.stopString)
        } else if finishReason == nil && generated.count >= options.maxNewTokens {
            let tail = decoder?.finish() ?? ""
            text += tail
            added += tail
            finish(.maxNewTokens)
        }
        return added
    }

    mutating func finish(_ reason: GenerationResult.FinishReason) {
        if finishReason == nil { finishReason = reason }
    }

    var result: GenerationResult {
        GenerationResult(tokens: generated, text: text, finishReason: finishReason ?? .maxNewTokens)
    }
}

/// Sampling buffers for the threads that draw a step's tokens, kept from step to step.
private final class SamplingScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [SamplingScratch] = []

    func withScratch<R>(_ body: (SamplingScratch) -> R) -> R {
        let scratch = lock.withLock { free.popLast() } ?? SamplingScratch()
        defer { lock.withLock { free.append(scratch) } }
        return body(scratch)
    }
}
