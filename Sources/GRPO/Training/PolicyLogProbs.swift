import Foundation
import LLM
import Tensor

/// Completions packed for one forward pass. Each distinct prompt is packed once, followed by
/// each of its completions without the last token (nothing follows it); a completion's rows
/// attend to the shared prompt rows and to their own, never to a sibling's, so every prompt row is
/// computed once per pass (forward, backward and reference) however many completions share it.
/// The prompt's last row predicts each sibling's first token; only the rows that predict a
/// completion token reach the LM head.
public struct PackedCompletions {
    /// The forward pass's rows (no padding between sequences).
    public let batch: SequenceBatch
    /// Rows of the hidden states that predict completion tokens, in sample order (a shared
    /// prompt's last row once per completion).
    public let completionRows: [Int]
    /// The completion tokens those rows predict.
    public let targets: [Int]
    /// Completion tokens per sample.
    public let lengths: [Int]

    /// Packs `samples`, grouping those whose prompt tokens are identical; throws when a prompt
    /// plus its completion exceeds the model's context, or a completion has no prompt.
    public init(_ samples: [CompletionSample], maxPositions: Int) throws {
        var inputs: [[Int]] = [], continuing: [Int?] = []
        var promptSequence: [[Int]: (index: Int, start: Int)] = [:]
        var rows: [Int] = [], targets: [Int] = [], lengths: [Int] = []
        var start = 0
        for sample in samples {
            let prompt = sample.promptTokens, completion = sample.completionTokens
            guard prompt.count + max(0, completion.count - 1) <= maxPositions else {
                throw TrainerError.modelLimit("A prompt of \(prompt.count) tokens plus a completion of \(completion.count) "
                    + "exceeds the model's context of \(maxPositions); lower maxCompletionLength or drop long prompts.")
            }
            guard !prompt.isEmpty || completion.isEmpty else {
                throw TrainerError.badPrompt("A completion of \(completion.count) tokens follows an empty prompt: nothing "
                    + "predicts its first token; give every prompt at least one token (a chat template or BOS adds one).")
            }
            let shared: (index: Int, start: Int)
            if let known = promptSequence[prompt] {
                shared = known
            } else {
                shared = (inputs.count, start)
                promptSequence[prompt] = shared
                inputs.append(prompt)
                continuing.append(nil)
                start += prompt.count
            }
            targets.append(contentsOf: completion)
            lengths.append(completion.count)
            guard !completion.isEmpty else { continue }
            // The prompt's last row predicts token 0; the completion's row j − 1 predicts token j.
            rows.append(shared.start + prompt.count - 1)
            let own = Array(completion.dropLast())
            rows.append(contentsOf: (0 ..< own.count).map { start + $0 })
            if !own.isEmpty {
                inputs.append(own)
                continuing.append(shared.index)
                start += own.count
            }
        }
        batch = SequenceBatch(tokens: inputs, continuing: continuing)
        completionRows = rows
        self.targets = targets
        self.lengths = lengths
    }

    /// Completion tokens in the pack.
    public var tokenCount: Int { targets.count }
    /// Rows of the forward pass (each distinct prompt once, then completion tokens).
    public var rowCount: Int { batch.rowCount }
    /// Rows of each packed sequence (prompts and completions), as `activationBytes` counts them.
    public var rowsPerSequence: [Int] { batch.sequences.map(\.rows.count) }
}

/// Per-token log-probabilities of packed completions under the model, at the sampling
/// temperature, through the fused chunked LM-head op (B×T×V logits never exist).
public enum PolicyLogProbs {
    /// log p(target) per completion token ([tokenCount], differentiable when autograd is on) and,
    /// when asked, each row's entropy. The first `recomputedBlocks` decoder blocks keep only their
    /// input and are recomputed in the backward pass (gradient checkpointing); the others keep
    /// their activations.
    public static func compute(_ packed: PackedCompletions, network: CausalLanguageModel, temperature: Double,
                               entropy: Bool = false, recomputedBlocks: Int = 0) throws -> (logProbs: Tensor, entropy: [Float]?) {
        let hidden = recomputedBlocks > 0
            ? try recomputedHiddenStates(packed.batch, network: network, recomputedBlocks: recomputedBlocks)
            : try network.hiddenStates(packed.batch)
        let rows = hidden.gatherRows(packed.completionRows)
        let options = TokenLogProbOptions(softCap: network.config.finalLogitSoftcap, temperature: Float(temperature))
        // The head is frozen (LoRA trains the projections only): the fused op's forward also
        // prepares d hidden tile by tile, so its backward needs no product with the vocabulary.
        let result = frozenHeadTokenLogProbs(hidden: rows, weight: network.head, targets: packed.targets, options: options,
                                             computeEntropy: entropy)
        return (result.logProbs, result.entropy?.scalars)
    }

    /// Log-probs without a graph (reference and old policies).
    public static func values(_ packed: PackedCompletions, network: CausalLanguageModel, temperature: Double) throws -> [Float] {
        try Autograd.noGrad { try compute(packed, network: network, temperature: temperature).logProbs.scalars }
    }

    /// `network.hiddenStates(batch)` with the first `recomputedBlocks` decoder blocks wrapped in
    /// `Autograd.checkpoint`.
    static func recomputedHiddenStates(_ batch: SequenceBatch, network: CausalLanguageModel,
                                       recomputedBlocks: Int) throws -> Tensor {
        let config = network.config
        let architecture: DecoderArchitecture.Type
        switch config.family {
        case .llama: architecture = Llama.self
        case .qwen2: architecture = Qwen2.self
        case .phi3: architecture = Phi3.self
        case .gemma3: architecture = Gemma3.self
        }
        var x = embedding(batch.tokens, table: network.embeddings)
        if let scale = architecture.embeddingScale(config) { x = x * scale }
        var failure: Error?
        for (index, block) in network.blocks.enumerated() {
            guard index < recomputedBlocks else {
                x = try block(x, batch: batch, layer: index)
                continue
            }
            x = Autograd.checkpoint([x]) { inputs in
                do { return try block(inputs[0], batch: batch, layer: index) } catch {
                    failure = error
                    return inputs[0]
                }
            }
            if let failure { throw failure }
        }
        return network.finalNorm(x)
    }

    /// An estimate of the bytes one micro-batch's graph keeps for the backward pass when the
    /// first `recomputedBlocks` blocks are recomputed (0: none), for the pre-norm blocks of
    /// Llama, Qwen2 and SmolLM2 with LoRA of `loraRank` on `adaptedProjections` projections.
    ///
    /// Per row, a block that keeps its activations holds what its backward reads: its input and
    /// the attention sum (the residual stream, read by the norms), both norms' outputs (read by
    /// the projections' LoRA factors), q, k and v (attention), the attention output (o_proj),
    /// gate, up and their activation (down), one rank-wide x·Aᵀ per adapted projection and a
    /// logsumexp per head. A recomputed block keeps only its input. On top: one block's worth
    /// for the backward pass's working set (gradients, or the recomputed block), and the LM
    /// head's final norm and gathered rows. Phi-3's fused and Gemma 3's extra norms keep a
    /// little more than this counts.
    public static func activationBytes(rowsPerSequence: [Int], config: TransformerConfig, loraRank: Int = 16,
                                       adaptedProjections: Int = 7, recomputedBlocks: Int = 0) -> Double {
        let rows = Double(rowsPerSequence.reduce(0, +))
        let hidden = Double(config.hiddenSize)
        let queryWidth = Double(config.headCount * config.headDim), keyWidth = Double(config.kvHeadCount * config.headDim)
        let perRow = 4 * hidden + 2 * queryWidth + 2 * keyWidth + 3 * Double(config.intermediateSize)
            + Double(config.headCount + 2 + loraRank * adaptedProjections)
        let keptBlock = 4 * rows * perRow, recomputedBlock = 4 * rows * hidden
        let recomputed = Double(min(max(0, recomputedBlocks), config.layerCount))
        let blocks = (Double(config.layerCount) - recomputed) * keptBlock + recomputed * recomputedBlock
        return blocks + keptBlock + 3 * 4 * rows * hidden
    }
}
