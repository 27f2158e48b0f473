import Foundation
import LLM
import Tensor

/// Completions packed end to end for one forward pass: each sequence is its prompt followed by its
/// completion without the last token (nothing follows it), and only the rows that predict a
/// completion token reach the LM head.
public struct PackedCompletions {
    /// The forward pass's rows (no padding between sequences).
    public let batch: SequenceBatch
    /// Rows of the hidden states that predict completion tokens, in sequence order.
    public let completionRows: [Int]
    /// The completion tokens those rows predict.
    public let targets: [Int]
    /// Completion tokens per sequence.
    public let lengths: [Int]

    /// Packs `samples`; throws when a prompt plus its completion exceeds the model's context.
    public init(_ samples: [CompletionSample], maxPositions: Int) throws {
        var inputs: [[Int]] = [], rows: [Int] = [], targets: [Int] = [], lengths: [Int] = []
        var start = 0
        for sample in samples {
            let prompt = sample.promptTokens, completion = sample.completionTokens
            let input = prompt + completion.dropLast()
            guard input.count <= maxPositions else {
                throw TrainerError.modelLimit("A prompt of \(prompt.count) tokens plus a completion of \(completion.count) "
                    + "exceeds the model's context of \(maxPositions); lower maxCompletionLength or drop long prompts.")
            }
            // Row prompt.count − 1 + j predicts completion token j.
            for j in completion.indices { rows.append(start + prompt.count - 1 + j) }
            targets.append(contentsOf: completion)
            lengths.append(completion.count)
            inputs.append(input)
            start += input.count
        }
        batch = SequenceBatch(tokens: inputs)
        completionRows = rows
        self.targets = targets
        self.lengths = lengths
    }

    /// Completion tokens in the pack.
    public var tokenCount: Int { targets.count }
    /// Rows of the forward pass (prompt and completion tokens).
    public var rowCount: Int { batch.rowCount }
}

/// Per-token log-probabilities of packed completions under the model, at the sampling
/// temperature, through the fused chunked LM-head op (B×T×V logits never exist).
public enum PolicyLogProbs {
    /// log p(target) per completion token ([tokenCount], differentiable when autograd is on) and,
    /// when asked, each row's entropy. With `recomputeActivations`, each block's activations are
    /// recomputed in the backward pass instead of kept.
    public static func compute(_ packed: PackedCompletions, network: CausalLanguageModel, temperature: Double,
                               entropy: Bool = false, recomputeActivations: Bool = false) throws -> (logProbs: Tensor, entropy: [Float]?) {
        let hidden = recomputeActivations
            ? try recomputedHiddenStates(packed.batch, network: network)
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

    /// `network.hiddenStates(batch)` with each decoder block wrapped in `Autograd.checkpoint`.
    static func recomputedHiddenStates(_ batch: SequenceBatch, network: CausalLanguageModel) throws -> Tensor {
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

    /// A rough estimate of the activation bytes one micro-batch keeps for the backward pass
    /// without recomputation (per row and layer: norms, q/k/v/o, the gated MLP's three widths,
    /// LoRA intermediates; plus attention probabilities per head).
    public static func activationBytes(rowsPerSequence: [Int], config: TransformerConfig) -> Double {
        let rows = Double(rowsPerSequence.reduce(0, +))
        let perRow = Double(12 * config.hiddenSize + 2 * config.kvHeadCount * config.headDim + 5 * config.intermediateSize)
        let attention = rowsPerSequence.reduce(0.0) { $0 + Double($1) * Double($1) } * Double(2 * config.headCount)
        return 4 * Double(config.layerCount) * (rows * perRow + attention)
    }
}
