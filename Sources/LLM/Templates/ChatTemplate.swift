import Foundation

/// A chat template (the Jinja subset Hugging Face templates use), parsed once, rendered per
/// conversation with the same settings as transformers: `trim_blocks` and `lstrip_blocks` on,
/// loop controls, no trailing-newline keeping, and HF's `tojson`, `raise_exception` and
/// `strftime_now`.
///
/// ```swift
/// let template = try ChatTemplate(source: settings.template)
/// let prompt = try template.render(messages: [ChatMessage(role: "user", content: "Hi")],
///                                  addGenerationPrompt: true, bosToken: settings.bosToken)
/// ```
public struct ChatTemplate {
    /// The template text as given.
    public let source: String
    private let nodes: [TemplateNode]

    /// Parses `source`; throws `TemplateError.syntax` for malformed templates.
    public init(source: String) throws {
        self.source = source
        var text = source
        if text.hasSuffix("\n") { text.unicodeScalars.removeLast() } // Jinja drops one trailing newline
        let tokens = try TemplateLexer().tokenize(text)
        var parser = TemplateParser(tokens: tokens)
        nodes = try parser.parseTemplate()
    }

    /// Renders with an explicit context (every variable the template reads).
    public func render(context: [String: TemplateValue]) throws -> String {
        try TemplateRenderer(context: context).render(nodes)
    }

    /// Renders a conversation. `messages` and `tools` are template values (key order matters
    /// for `tojson`; parse JSON with `TemplateValue(parsingJSON:)` to keep it); `extra` adds variables.
    public func render(messages: [TemplateValue], addGenerationPrompt: Bool = false,
                       bosToken: String? = nil, eosToken: String? = nil, tools: [TemplateValue]? = nil,
                       extra: [String: TemplateValue] = [:]) throws -> String {
        var context = extra
        context["messages"] = .array(messages)
        context["add_generation_prompt"] = .bool(addGenerationPrompt)
        if let bosToken { context["bos_token"] = .string(bosToken) }
        if let eosToken { context["eos_token"] = .string(eosToken) }
        // transformers always passes `tools` and `documents`, as None when absent.
        if let tools { context["tools"] = .array(tools) } else if context["tools"] == nil { context["tools"] = TemplateValue.none }
        if context["documents"] == nil { context["documents"] = TemplateValue.none }
        return try render(context: context)
    }

    /// Renders typed messages.
    public func render(messages: [ChatMessage], addGenerationPrompt: Bool = false,
                       bosToken: String? = nil, eosToken: String? = nil, tools: [TemplateValue]? = nil,
                       extra: [String: TemplateValue] = [:]) throws -> String {
        try render(messages: messages.map(\.templateValue), addGenerationPrompt: addGenerationPrompt,
                   bosToken: bosToken, eosToken: eosToken, tools: tools, extra: extra)
    }

    /// Renders messages given as Foundation dictionaries (`[["role": "user", "content": "Hi"]]`).
    public func render(messages: [[String: Any]], addGenerationPrompt: Bool = false,
                       bosToken: String? = nil, eosToken: String? = nil, tools: [[String: Any]]? = nil,
                       extra: [String: TemplateValue] = [:]) throws -> String {
        try render(messages: messages.map { TemplateValue(any: Self.ordered($0)) },
                   addGenerationPrompt: addGenerationPrompt, bosToken: bosToken, eosToken: eosToken,
                   tools: tools.map { $0.map { TemplateValue(any: $0) } }, extra: extra)
    }

    /// `role` and `content` first, then the other keys sorted: the usual message key order.
    private static func ordered(_ message: [String: Any]) -> TemplateValue {
        var d = TemplateDictionary()
        for key in ["role", "content"] where message[key] != nil { d[key] = TemplateValue(any: message[key]) }
        for key in message.keys.sorted() where d[key] == nil { d[key] = TemplateValue(any: message[key]) }
        return .dictionary(d)
    }
}

/// One chat turn.
public struct ChatMessage: Equatable, Sendable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// `{"role": …, "content": …}` in that order.
    public var templateValue: TemplateValue {
        .dictionary(TemplateDictionary([("role", .string(role)), ("content", .string(content))]))
    }
}
