import Foundation
import LLM

/// A judge on an OpenAI-compatible server (OpenAI, vLLM, llama.cpp's server): the prompt goes
/// out as chat messages, the free-text reply is parsed (`JudgeReplyParser`); a reply missing
/// scores is asked for once more, then the missing scores are recorded as missing.
public final class OpenAICompatibleJudge: Judge {
    public let client: ChatCompletionClient
    public var prompt: JudgePrompt

    public init(client: ChatCompletionClient, prompt: JudgePrompt = .standard) {
        self.client = client
        self.prompt = prompt
    }

    /// A judge for `settings` (the key is read from the variable the settings name).
    public convenience init(settings: ChatCompletionClient.Settings, prompt: JudgePrompt = .standard) throws {
        self.init(client: try ChatCompletionClient(settings: settings), prompt: prompt)
    }

    public var name: String { "\(client.settings.model) at \(client.endpoint.absoluteString)" }

    public func judge(_ requests: [JudgeRequest], progress: @escaping @Sendable (Int) -> Void,
                      isCancelled: @escaping @Sendable () -> Bool) throws -> [JudgeVerdict] {
        let results = try ConcurrentWork.map(count: requests.count, limit: client.settings.concurrency,
                                             isFatal: { ($0 as? JudgeError)?.stopsEvaluation ?? true }) { index in
            defer { progress(index) }
            return try self.verdict(for: requests[index], isCancelled: isCancelled)
        }
        return results.map { result in
            switch result {
            case .success(let verdict): return verdict
            case .failure(let error): return .missing("\(error)", attempts: 1)
            }
        }
    }

    /// One case: ask, parse, and ask once more when scores are missing.
    public func verdict(for request: JudgeRequest, isCancelled: () -> Bool = { false }) throws -> JudgeVerdict {
        let messages = [ChatMessage.system(prompt.system),
                        ChatMessage.user(prompt.render(question: request.question, reference: request.reference,
                                                       answer: request.answer))]
        var best: (scores: [String: Double], explanation: String)?
        for attempt in 1...2 {
            let parsed = JudgeReplyParser.parse(try client.complete(messages, isCancelled: isCancelled))
            if best == nil || parsed.scores.count > best!.scores.count { best = parsed }
            if parsed.scores.count == JudgeMetric.all.count {
                return JudgeVerdict(scores: parsed.scores, explanation: parsed.explanation, attempts: attempt)
            }
        }
        let found = best ?? ([:], "")
        let missing = JudgeMetric.all.filter { found.scores[$0.key] == nil }.map(\.key)
        return JudgeVerdict(scores: found.scores, explanation: found.explanation, attempts: 2,
                            problem: "the judge's replies gave no usable score for \(missing.joined(separator: ", ")) (asked twice)")
    }
}
