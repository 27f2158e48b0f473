import ArgumentParser
import Foundation
import LLM
import Tensor

/// `swift-grpo score`: per-position log-probabilities of token sequences.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score JSON lines {\"ids\": […]}: per position the log-prob of the next id, the logsumexp and the top K logits.")

    @Option(help: "A registry name, a .gguf file, a Hugging Face folder or a cached HF id.")
    var model: String = ModelRegistry.defaultModelName
    @Option(help: "A PEFT LoRA adapter folder to attach to --model (checked against its base_model_name_or_path).")
    var adapter: String?
    @Option(help: "Also list the K largest [id, logit] pairs of each position.")
    var top = 0

    func run() throws {
        // Token ids need no tokenizer: a folder with only config and weights scores too.
        let source = try ModelSource.open(model)
        let network = try source.network()
        if let adapter {
            try network.attach(LoRAAdapter.load(from: URL(fileURLWithPath: adapter), for: network,
                                                expectedBaseModel: source.location.reference))
        }
        try JSONLines.forEachObject { record, line in
            let ids = try JSONLines.field("ids", of: record, line: line, as: [Int].self, example: "{\"ids\": [1, 2, 3]}")
            if let bad = ids.first(where: { $0 < 0 || $0 >= network.config.vocabularySize }) {
                throw ValidationError("stdin line \(line): id \(bad) is outside the vocabulary 0..<\(network.config.vocabularySize).")
            }
            let (logProbs, logSumExp) = try network.score(ids)
            var answer: [String: Any] = ["logprobs": logProbs.map(Double.init), "logsumexp": logSumExp.map(Double.init)]
            if top > 0 { answer["top"] = try topLogits(network, ids: ids) }
            try JSONLines.write(answer)
        }
    }

    /// For each position t < count − 1, the `top` largest [id, logit] pairs, computed in row
    /// chunks so [T, vocabulary] logits never exist at once.
    private func topLogits(_ network: CausalLanguageModel, ids: [Int]) throws -> [[[Double]]] {
        guard ids.count >= 2 else { return [] }
        let hidden = try Autograd.noGrad { try network.hiddenStates(SequenceBatch(tokens: [Array(ids.dropLast())])) }
        var rows: [[[Double]]] = []
        let chunk = 64
        for start in stride(from: 0, to: hidden.shape[0], by: chunk) {
            let logits = Autograd.noGrad { network.logits(hidden.rows(start ..< min(start + chunk, hidden.shape[0]))) }
            let vocabulary = logits.shape[1]
            let values = logits.scalars
            for row in 0..<logits.shape[0] {
                let slice = values[(row * vocabulary) ..< ((row + 1) * vocabulary)]
                let best = slice.indices.sorted { slice[$0] > slice[$1] || (slice[$0] == slice[$1] && $0 < $1) }.prefix(top)
                rows.append(best.map { [Double($0 - row * vocabulary), Double(slice[$0])] })
            }
        }
        return rows
    }
}
