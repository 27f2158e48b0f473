import Foundation
import Tensor

/// Batched autoregressive generation with a KV cache per sequence: one prefill pass over
/// every prompt (laid end to end, no padding), then one decode pass per step over the
/// sequences still running.
public struct TextGenerator {
    public let model: CausalLanguageModel
    /// Decodes text for stop strings and streaming; without one, `text` stays empty.
    public let tokenizer: Tokenizer?

    public init(model: CausalLanguageModel, tokenizer: Tokenizer?) {
        self.model = model
        self.tokenizer = tokenizer
    }

    /// Generates a continuation of each prompt. `onToken(sequence, id, newText)` streams each
    /// token as it is chosen; `isCancelled` is polled between steps (the cell's interrupt flag).
    public func generate(prompts: [[Int]], options: GenerationOptions,
                         onToken: ((_ sequence: Int, _ token: Int, _ text: String) -> Void)? = nil,
                         isCancelled: () -> Bool = { false }) throws -> [GenerationResult] {
        guard !prompts.isEmpty else { return [] }
        guard prompts.allSatisfy({ !$0.isEmpty }) else { throw GenerationError.emptyPrompt }
        let sampler = Sampler(options: options.sampling)
        var states = prompts.enumerated().map { index, prompt in
            SequenceState(prompt: prompt, seed: options.seed, index: index,
                          cache: model.makeCache(capacity: prompt.count + options.maxNewTokens),
                          decoder: tokenizer?.streamingDecoder(skipSpecialTokens: true))
        }
        if options.maxNewTokens <= 0 {
            return states.map { _ in GenerationResult(tokens: [], text: "", finishReason: .maxNewTokens) }
        }

        var running = Array(states.indices)
        var nextInputs = prompts
        while !running.isEmpty {
            if isCancelled() {
                for index in running { states[index].finish(.cancelled) }
                break
            }
            let batch = SequenceBatch(tokens: running.map { nextInputs[$0] }, caches: running.map { states[$0].cache })
            let logits: Tensor = try Autograd.noGrad {
                let hidden = try model.hiddenStates(batch)
                return model.logits(hidden.gatherRows(batch.sequences.map { $0.rows.upperBound - 1 }))
            }
            let vocabulary = logits.shape[1]
            var stillRunning: [Int] = []
            logits.withUnsafeBufferPointer { rows in
                for (row, index) in running.enumerated() {
                    let rowLogits = UnsafeBufferPointer(rebasing: rows[(row * vocabulary) ..< ((row + 1) * vocabulary)])
                    let token = sampler.nextToken(logits: rowLogits, context: states[index].context,
                                                  uniform: { states[index].random.nextUniformDouble() })
                    let text = states[index].accept(token, options: options)
                    onToken?(index, token, text)
                    if states[index].finishReason == nil { stillRunning.append(index) }
                    nextInputs[index] = [token]
                }
            }
            running = stillRunning
        }
        return states.map { $0.result }
    }
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
