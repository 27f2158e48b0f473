import ArgumentParser
import Foundation
import LLM

/// `swift-grpo chat-template`: JSON lines `{"messages": […], "add_generation_prompt": bool}` in,
/// `{"text": …}` out, rendered with the model's own chat template.
struct ChatTemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-template",
        abstract: "Render JSON lines {\"messages\": […], \"add_generation_prompt\": bool} from stdin into {\"text\": …}.",
        discussion: """
            The template comes from the GGUF metadata (tokenizer.chat_template) or the Hugging Face \
            folder's tokenizer_config.json. A line may also carry "tools" (a list of JSON schemas) and \
            any other variables the template reads.
            """
    )

    @Option(name: .long, help: "A registry name, a .gguf file, a Hugging Face folder or a cached HF id.")
    var model: String = ModelRegistry.defaultModelName

    func run() throws {
        let location = try ModelRegistry().resolve(model)
        let settings = try ChatTemplateSettings.load(from: location)
        let template = try ChatTemplate(source: settings.template)
        let output = FileHandle.standardOutput
        var lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let request = try ChatTemplateRequest(line: line, lineNumber: lineNumber)
            let text = try template.render(messages: request.messages, addGenerationPrompt: request.addGenerationPrompt,
                                           bosToken: settings.bosToken, eosToken: settings.eosToken,
                                           tools: request.tools, extra: request.extra)
            let record = TemplateValue.dictionary(TemplateDictionary([("text", .string(text))]))
            output.write(Data((try record.jsonText() + "\n").utf8))
        }
    }
}

/// One stdin line of `chat-template`, parsed with key order kept (it shows in `tojson` output).
struct ChatTemplateRequest {
    var messages: [TemplateValue]
    var addGenerationPrompt: Bool
    var tools: [TemplateValue]?
    var extra: [String: TemplateValue]

    init(line: String, lineNumber: Int) throws {
        let parsed: TemplateValue
        do {
            parsed = try TemplateValue(parsingJSON: line)
        } catch {
            throw ChatTemplateInputError.notJSON(line: lineNumber, detail: "\(error)")
        }
        guard case let .dictionary(record) = parsed else { throw ChatTemplateInputError.notAnObject(line: lineNumber) }
        guard case let .array(messages)? = record["messages"] else { throw ChatTemplateInputError.missingMessages(line: lineNumber) }
        self.messages = messages
        addGenerationPrompt = record["add_generation_prompt"]?.isTruthy ?? false
        if case let .array(tools)? = record["tools"] { self.tools = tools }
        var extra = [String: TemplateValue]()
        for (key, value) in record.pairs where !["messages", "add_generation_prompt", "tools"].contains(key) {
            extra[key] = value
        }
        self.extra = extra
    }
}

/// A stdin line `chat-template` cannot read.
enum ChatTemplateInputError: Error, CustomStringConvertible {
    case notJSON(line: Int, detail: String)
    case notAnObject(line: Int)
    case missingMessages(line: Int)

    var description: String {
        switch self {
        case let .notJSON(line, detail):
            return "stdin line \(line) is not JSON (\(detail)); write one {\"messages\": […]} object per line."
        case let .notAnObject(line):
            return "stdin line \(line) is not a JSON object; write {\"messages\": […], \"add_generation_prompt\": true}."
        case let .missingMessages(line):
            return "stdin line \(line) has no list \"messages\"; write {\"messages\": [{\"role\": \"user\", \"content\": \"…\"}]}."
        }
    }
}
