import Foundation
import LLM

/// The chat-completions wire format: the request body and the reply's text. (Foundation's
/// JSONSerialization for now; the project's JSON code is being consolidated.)
enum ChatCompletionJSON {
    static func request(model: String, messages: [ChatMessage], temperature: Double, maxTokens: Int,
                        format: ChatCompletionClient.ReplyFormat = .text) throws -> Data {
        var body: [String: Any] = [
            "model": model,
            "messages": messages.map { ["role": $0.role, "content": $0.content] },
            "temperature": temperature,
            "max_tokens": maxTokens,
            "stream": false,
        ]
        if let responseFormat = responseFormat(format) { body["response_format"] = responseFormat }
        return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }

    /// `choices[0].message.content`, or nil when the body is not a chat completion.
    static func reply(in data: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choices = object["choices"] as? [[String: Any]], let first = choices.first,
              let message = first["message"] as? [String: Any] else { return nil }
        return message["content"] as? String
    }

    /// A reply that is a JSON object (possibly in a ```json fence), as a dictionary.
    static func object(in reply: String) -> [String: Any]? {
        var text = reply.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("```") {
            text = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                .joined(separator: "\n").replacingOccurrences(of: "```", with: "")
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.first == "{", text.last == "}" else { return nil }
        let data = Data(text.utf8)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// The JSON schema of a judge reply: the five scores as integers 1…5 and the explanation.
    static var verdictSchema: [String: Any] {
        var properties: [String: Any] = [:]
        for metric in JudgeMetric.all { properties[metric.key] = ["type": "integer", "enum": [1, 2, 3, 4, 5]] }
        properties["explanation"] = ["type": "string"]
        return ["type": "object", "properties": properties,
                "required": JudgeMetric.all.map(\.key) + ["explanation"], "additionalProperties": false]
    }

    /// The `response_format` field for a structured-output dialect.
    static func responseFormat(_ format: ChatCompletionClient.ReplyFormat) -> [String: Any]? {
        switch format {
        case .text: return nil
        case .jsonSchema:
            return ["type": "json_schema", "json_schema": ["name": "judge_verdict", "strict": true, "schema": verdictSchema]]
        case .jsonObject:
            return ["type": "json_object", "schema": verdictSchema]
        }
    }
}
