import Foundation
import LLM

/// The chat-completions wire format: the request body and the reply's text. (Foundation's
/// JSONSerialization for now; the project's JSON code is being consolidated.)
enum ChatCompletionJSON {
    static func request(model: String, messages: [ChatMessage], temperature: Double, maxTokens: Int) throws -> Data {
        let body: [String: Any] = [
            "model": model,
            "messages": messages.map { ["role": $0.role, "content": $0.content] },
            "temperature": temperature,
            "max_tokens": maxTokens,
            "stream": false,
        ]
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    /// `choices[0].message.content`, or nil when the body is not a chat completion.
    static func reply(in data: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choices = object["choices"] as? [[String: Any]], let first = choices.first,
              let message = first["message"] as? [String: Any] else { return nil }
        return message["content"] as? String
    }
}
