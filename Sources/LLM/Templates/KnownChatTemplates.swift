import Foundation

/// A few well-known chat formats, written out as Jinja in our own words, for base models that
/// ship no template (Gemma 3 270M, Llama 3.2 1B base) or to try another format on any model.
public enum KnownChatTemplate: String, CaseIterable, Sendable {
    /// `<|im_start|>role\n…<|im_end|>\n` (Qwen, SmolLM2, Phi-4 style roles).
    case chatml
    /// `<|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>` after the BOS.
    case llama3
    /// `<start_of_turn>user\n…<end_of_turn>\n` after the BOS, assistant turns as `model`, a
    /// system message folded into the first user turn (Gemma 2/3).
    case gemma

    /// The names `named(_:)` accepts, for messages.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The template called `name`, ignoring case, `-`, `_` and spaces (`ChatML`, `llama-3`, `Gemma`).
    public static func named(_ name: String) -> KnownChatTemplate? {
        let key = name.lowercased().filter { !"-_ .".contains($0) }
        return allCases.first { $0.rawValue == key }
    }

    /// The token that closes a turn: generation should stop there.
    public var endOfTurnToken: String {
        switch self {
        case .chatml: return "<|im_end|>"
        case .llama3: return "<|eot_id|>"
        case .gemma: return "<end_of_turn>"
        }
    }

    /// The Jinja source.
    public var source: String {
        switch self {
        case .chatml:
            return """
            {%- for message in messages -%}
            {{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}
            {%- endfor -%}
            {%- if add_generation_prompt -%}{{ '<|im_start|>assistant\\n' }}{%- endif -%}
            """
        case .llama3:
            return """
            {{- bos_token -}}
            {%- for message in messages -%}
            {{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}
            {%- endfor -%}
            {%- if add_generation_prompt -%}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif -%}
            """
        case .gemma:
            return """
            {{- bos_token -}}
            {%- if messages and messages[0]['role'] == 'system' -%}
            {%- set first_user_prefix = messages[0]['content'] | trim + '\\n\\n' -%}
            {%- set turns = messages[1:] -%}
            {%- else -%}
            {%- set first_user_prefix = '' -%}
            {%- set turns = messages -%}
            {%- endif -%}
            {%- for message in turns -%}
            {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
            {{ raise_exception('Gemma conversations alternate user/assistant turns, starting with the user.') }}
            {%- endif -%}
            {%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}
            {{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else '') + message['content'] | trim + '<end_of_turn>\\n' }}
            {%- endfor -%}
            {%- if add_generation_prompt -%}{{ '<start_of_turn>model\\n' }}{%- endif -%}
            """
        }
    }
}

/// What the caller asked for as a chat template: a known name, a Jinja file, or Jinja text.
public enum ChatTemplateChoice: Equatable, Sendable {
    case known(KnownChatTemplate)
    case text(String)

    /// Reads `argument` as a known template name, else an existing file's path (its contents),
    /// else, when it contains Jinja markup (`{{` or `{%`), the template text itself.
    public init(_ argument: String) throws {
        if let known = KnownChatTemplate.named(argument) {
            self = .known(known)
            return
        }
        let path = (argument as NSString).expandingTildeInPath
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            do {
                self = .text(try String(contentsOfFile: path, encoding: .utf8))
            } catch {
                throw ChatTemplateChoiceError.unreadableFile(path: path, detail: error.localizedDescription)
            }
            return
        }
        guard argument.contains("{{") || argument.contains("{%") else {
            throw ChatTemplateChoiceError.unknown(argument)
        }
        self = .text(argument)
    }

    /// The Jinja source.
    public var source: String {
        switch self {
        case .known(let template): return template.source
        case .text(let text): return text
        }
    }

    /// The template with `tokenizer`'s BOS/EOS spellings, checked to parse.
    public func settings(for tokenizer: Tokenizer) throws -> ChatTemplateSettings {
        do {
            _ = try ChatTemplate(source: source)
        } catch {
            throw ChatTemplateChoiceError.invalid(detail: "\(error)")
        }
        return ChatTemplateSettings(template: source, bosToken: tokenizer.bosToken, eosToken: tokenizer.eosToken)
    }

    /// Ids that end a turn in this format and are single special tokens of `tokenizer` (a
    /// known format's end-of-turn token; nothing for a template given as text).
    public func endOfTurnIDs(for tokenizer: Tokenizer) -> Set<Int> {
        guard case .known(let template) = self, let id = tokenizer.id(for: template.endOfTurnToken),
              tokenizer.specialTokenIDs.contains(id) else { return [] }
        return [id]
    }
}

/// A chat template argument that names nothing usable.
public enum ChatTemplateChoiceError: Error, CustomStringConvertible, Equatable {
    case unknown(String)
    case unreadableFile(path: String, detail: String)
    case invalid(detail: String)

    public var description: String {
        switch self {
        case .unknown(let argument):
            return "'\(argument)' is not a known chat template (\(KnownChatTemplate.names.joined(separator: ", "))), an existing template file, or Jinja text. Pass one of those."
        case let .unreadableFile(path, detail):
            return "Cannot read the chat template file \(path): \(detail). Check the path and its permissions."
        case .invalid(let detail):
            return "The chat template does not parse: \(detail). Fix the template text."
        }
    }
}
