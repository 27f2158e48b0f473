import Foundation
import LLM
import Tensor

extension GenerationResult.FinishReason: Codable {}

/// One sampled completion of a generation batch, with everything the later stages attach to it.
public struct CompletionSample: Codable, Sendable {
    /// The dataset row the prompt came from.
    public var datasetIndex: Int
    /// The prompt as the model saw it (chat-templated when the prompt column holds messages).
    public var prompt: String
    public var promptTokens: [Int]
    /// The decoded completion (special tokens skipped, cut before a stop string).
    public var completion: String
    /// The sampled ids (an ending EOS id included).
    public var completionTokens: [Int]
    public var finishReason: GenerationResult.FinishReason
    /// The guide prompt this completion was sampled from when it is a guided rollout (see
    /// `GRPOConfig.guidePromptColumn`); nil when it was sampled from `prompt` itself.
    public var guidePrompt: String? = nil
    /// Scores per reward function (nil = not applicable or faulted).
    public var rewards: [Double?] = []
    /// The weighted reward used for the advantage (NaN when no reward scored it).
    public var reward: Double = .nan
    public var advantage: Double = 0

    /// True when the completion stopped at `maxCompletionLength` rather than ending itself.
    public var isTruncated: Bool { finishReason == .maxNewTokens || finishReason == .cancelled }
}

/// Renders dataset prompts to token ids and samples G completions per prompt in one batched
/// `generate` call.
public struct Rollout {
    public let model: LanguageModel
    /// The dataset column holding each prompt: text, or chat messages (`[{role, content}]`).
    public let promptColumn: String
    /// Ignore EOS and always generate `maxCompletionLength` tokens (for benchmarks).
    public var ignoresEndOfSequence = false

    public init(model: LanguageModel, promptColumn: String = "prompt") {
        self.model = model
        self.promptColumn = promptColumn
    }

    /// The prompt text of `row`: a chat-message list goes through the model's chat template
    /// (with the generation prompt); text is used as it is.
    public func promptText(_ row: DatasetRow) throws -> String {
        try promptText(row, column: promptColumn)
    }

    /// The rendered prompt in `column` of `row` (the prompt column, or a guide prompt column).
    func promptText(_ row: DatasetRow, column promptColumn: String) throws -> String {
        let value = row[promptColumn]
        if let messages = value.arrayValue {
            let chat = try messages.map { message -> ChatMessage in
                guard let role = message["role"].stringValue else {
                    throw TrainerError.badPrompt("A chat message in column \"\(promptColumn)\" has no \"role\"; "
                        + "give each message {\"role\": …, \"content\": …}.")
                }
                return ChatMessage(role: role, content: message["content"].text)
            }
            return try model.chatPrompt(chat, addGenerationPrompt: true)
        }
        if value.isNull {
            throw TrainerError.badPrompt("A dataset row has no \"\(promptColumn)\" column; build one (e.g. with "
                + "chatPrompt(system:userColumn:)) or name the prompt column.")
        }
        return value.text
    }

    /// Token ids of a rendered prompt. Chat templates write their own special tokens; plain text gets the BOS
    /// id the tokenizer adds (as `tokenizer(text)` does in TRL).
    public func promptTokens(_ text: String, isChat: Bool) -> [Int] {
        var ids = model.tokenizer.encode(text, addSpecialTokens: !isChat)
        if ids.isEmpty, let bos = model.tokenizer.bosTokenID { ids = [bos] }
        return ids
    }

    /// G completions for each of `rows` (prompt p's completions are samples p·G ..< (p+1)·G),
    /// all in one batched generation with whatever adapter is enabled on the model. With guided
    /// rollouts the last `config.guidedGenerations` of each group are sampled from the row's guide
    /// prompt and recorded as completions of its own prompt.
    public func sample(rows: [(index: Int, row: DatasetRow)], groupSize: Int, config: GRPOConfig, seed: UInt64,
                       isCancelled: () -> Bool = { false }) throws -> [CompletionSample] {
        var prompts: [(index: Int, text: String, tokens: [Int], guide: (text: String, tokens: [Int])?)] = []
        let guided = config.guidePromptColumn.map { (column: $0, count: config.guidedGenerations) }
        for (index, row) in rows {
            let text = try promptText(row)
            let tokens = try checkedTokens(text, row: row, index: index, column: promptColumn)
            var guide: (text: String, tokens: [Int])?
            if let guided, guided.count > 0 {
                guard !row[guided.column].isNull else {
                    throw TrainerError.badPrompt("Dataset row \(index) has no guide prompt column \"\(guided.column)\"; "
                        + "add it to every row or set guidedGenerations to 0.")
                }
                let guideText = try promptText(row, column: guided.column)
                guide = (guideText, try checkedTokens(guideText, row: row, index: index, column: guided.column))
            }
            let guidedCount = guide == nil ? 0 : guided?.count ?? 0
            for member in 0..<groupSize {
                prompts.append((index, text, tokens, member >= groupSize - guidedCount ? guide : nil))
            }
        }
        let options = GenerationOptions(maxNewTokens: config.maxCompletionLength, sampling: config.samplingOptions,
                                        eosTokenIDs: ignoresEndOfSequence ? [-1] : model.eosTokenIDs, stopStrings: config.stopStrings, seed: seed)
        let results = try Autograd.noGrad {
            try model.generate(prompts: prompts.map { $0.guide?.tokens ?? $0.tokens }, options: options, isCancelled: isCancelled)
        }
        return zip(prompts, results).map { prompt, result in
            CompletionSample(datasetIndex: prompt.index, prompt: prompt.text, promptTokens: prompt.tokens,
                             completion: result.text, completionTokens: result.tokens, finishReason: result.finishReason,
                             guidePrompt: prompt.guide?.text)
        }
    }

    private func checkedTokens(_ text: String, row: DatasetRow, index: Int, column: String) throws -> [Int] {
        let tokens = promptTokens(text, isChat: row[column].arrayValue != nil)
        guard !tokens.isEmpty else {
            throw TrainerError.badPrompt("Prompt of dataset row \(index) (column \"\(column)\") is empty and the model has no BOS token.")
        }
        return tokens
    }
}
