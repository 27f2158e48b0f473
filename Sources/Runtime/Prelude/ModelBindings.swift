import Foundation
import GRPO
import LLM

/// `Model` (load, generate, chat, score text), `Tokenizer`, and the `chat(system:user:)` helper.
enum ModelBindings {
    static func register(in registry: NativeRegistry) {
        registry.function("chat", [.labeled("system", "String?", default: .null), .labeled("user", "String")],
                          returns: "[[String: String]]",
                          doc: "Chat messages for a prompt: an optional system message and a user message.") { call in
            var messages: [ChatMessage] = []
            if let system = call.optional("system") {
                messages.append(.system(try Convert.string(system, or: call.error("system must be a String"))))
            }
            guard let user = call.optional("user") else { throw call.error("user is nil (a missing dataset column?)") }
            messages.append(.user(try Convert.string(user, or: call.error("user must be a String, got \(user.typeName)"))))
            return PromptText.value(messages)
        }

        registry.type("Model", doc: "A causal language model: generation, chat, token log-probs.") { type in
            registerLoading(type)
            registerProperties(type)
            registerGeneration(type)
            registerScoring(type)
        }
        registerTokenizer(in: registry)
    }

    /// The most completions one `generate(_:count:)` call makes (each keeps its own KV cache).
    static let maximumGroupSize = 256

    private static func model(_ call: NativeCall) throws -> LanguageModel {
        try call.receiver(as: ModelObject.self).model
    }

    // MARK: Loading

    private static func registerLoading(_ type: NativeType) {
        type.staticMethod("load", [.positional("name", "String")], returns: "Model",
                          doc: "Loads a model: a registry name (\(ModelRegistry.names.joined(separator: ", "))), a .gguf "
                            + "file, a Hugging Face folder, or an id in the local Hugging Face cache.") { call in
            .object(ModelObject(try LanguageModel.load(try call.string("name"))))
        }
        type.staticMethod("load", [.positional("name", "String"), .labeled("chatTemplate", "String")], returns: "Model",
                          doc: "Loads a model and chats with the given template instead of its own: a known name ("
                            + KnownChatTemplate.names.joined(separator: ", ") + "), a template file, or Jinja text. "
                            + "For base models that ship none.") { call in
            .object(ModelObject(try LanguageModel.load(try call.string("name"), chatTemplate: try call.string("chatTemplate"))))
        }
        type.method("withChatTemplate", [.positional("template", "String")], returns: "Model",
                    doc: "The same model (weights shared) chatting with another template: a known name ("
                        + KnownChatTemplate.names.joined(separator: ", ") + "), a template file, or Jinja text.") { call in
            .object(ModelObject(try model(call).usingChatTemplate(ChatTemplateChoice(try call.string("template")))))
        }
        type.staticProperty("available", "[String]", doc: "The registry's model names.") {
            .array(ModelRegistry.names.map { .string($0) })
        }
        type.staticProperty("defaultName", "String", doc: "The embedded default model's name.") {
            .string(ModelRegistry.defaultModelName)
        }
    }

    private static func registerProperties(_ type: NativeType) {
        type.property("name", "String", of: ModelObject.self, doc: "The name the model was loaded by.") { .string($0.name) }
        type.property("architecture", "String", of: ModelObject.self, doc: "llama, qwen2, phi3 or gemma3.") { .string($0.model.config.family.rawValue) }
        type.property("parameterCount", "Int", of: ModelObject.self, doc: "The number of weights.") { .int($0.parameterCount) }
        type.property("layerCount", "Int", of: ModelObject.self, doc: "The number of decoder blocks.") { .int($0.model.config.layerCount) }
        type.property("vocabularySize", "Int", of: ModelObject.self, doc: "The number of token ids.") { .int($0.model.config.vocabularySize) }
        type.property("contextLength", "Int", of: ModelObject.self, doc: "The longest sequence the model was trained for.") { .int($0.model.config.maxPositions) }
        type.property("tokenizer", "Tokenizer", of: ModelObject.self, doc: "The model's tokenizer.") { .object($0.tokenizer) }
    }

    // MARK: Generation

    private static func registerGeneration(_ type: NativeType) {
        let sampling = GenerationParameters.list
        type.method("generate", [.positional("prompt", "String")] + sampling + [.labeled("stream", "Bool", default: .bool(true))],
                    returns: "String",
                    doc: "Continues a prompt (raw text, or chat messages rendered with the chat template), streaming "
                        + "tokens to the output; returns the new text. Interrupt stops it.") { call in
            let model = try model(call)
            return .string(try generateOne(model, prompt: try PromptText.text(call["prompt"], for: model), call: call))
        }
        type.method("generate", [.positional("prompt", "String"), .labeled("count", "Int")] + sampling, returns: "[String]",
                    doc: "A group of `count` completions of one prompt, generated as one batch (sequence i uses seed "
                        + "and i, so the group is reproducible).") { call in
            let model = try model(call)
            let count = try call.int("count")
            guard (1...maximumGroupSize).contains(count) else {
                throw call.error("count must be between 1 and \(maximumGroupSize), got \(count)")
            }
            let text = try PromptText.text(call["prompt"], for: model)
            return try generateBatch(model, prompts: Array(repeating: text, count: count), call: call)
        }
        type.method("generate", [.labeled("prompts", "[String]")] + sampling, returns: "[String]",
                    doc: "One completion per prompt, generated as one batch.") { call in
            let model = try model(call)
            let prompts = try call.array("prompts").enumerated().map {
                try PromptText.text($1, for: model, argument: "prompts[\($0)]")
            }
            return try generateBatch(model, prompts: prompts, call: call)
        }
        type.method("chat", [.positional("messages", "[[String: String]]")] + sampling + [.labeled("stream", "Bool", default: .bool(true))],
                    returns: "String",
                    doc: "The assistant's reply to chat messages (or to one user message given as a String), "
                        + "streamed to the output.") { call in
            let model = try model(call)
            let messages: Value = if case .string(let user)? = call["messages"].unwrapped { PromptText.value([.user(user)]) } else { call["messages"] }
            return .string(try generateOne(model, prompt: try PromptText.text(messages, for: model, argument: "messages"), call: call))
        }
        type.method("chat", [.labeled("system", "String"), .labeled("user", "String")] + sampling
                        + [.labeled("stream", "Bool", default: .bool(true))],
                    returns: "String", doc: "The assistant's reply to a system and a user message, streamed.") { call in
            let model = try model(call)
            let messages: [ChatMessage] = [.system(try call.string("system")), .user(try call.string("user"))]
            return .string(try generateOne(model, prompt: try model.chatPrompt(messages), call: call))
        }
        type.method("chatPrompt", [.positional("messages", "[[String: String]]")], returns: "String",
                    doc: "The text the chat template makes of messages, ending with the assistant header.") { call in
            let model = try model(call)
            return .string(try PromptText.text(call["messages"], for: model, argument: "messages"))
        }
    }

    /// Generates one continuation, streaming its text to stdout when `stream` is true.
    private static func generateOne(_ model: LanguageModel, prompt: String, call: NativeCall) throws -> String {
        let options = try GenerationParameters.options(call, for: model)
        let context = call.context
        let stream = try call.bool("stream")
        var streamed = ""
        let result = try model.generate(prompt, options: options, onToken: stream ? { _, _, text in
            guard !text.isEmpty else { return }
            streamed += text
            context.output.write(text, to: .stdout)
        } : nil, isCancelled: { context.interrupt.isRequested })
        if stream, !streamed.isEmpty, !streamed.hasSuffix("\n") { context.output.write("\n", to: .stdout) }
        try context.checkInterrupt()
        return result.text
    }

    /// Generates one continuation per prompt in one batch.
    private static func generateBatch(_ model: LanguageModel, prompts: [String], call: NativeCall) throws -> Value {
        let options = try GenerationParameters.options(call, for: model)
        let context = call.context
        let results = try model.generate(prompts: prompts.map { model.tokenizer.encode($0) }, options: options,
                                         isCancelled: { context.interrupt.isRequested })
        try context.checkInterrupt()
        return .array(results.map { .string($0.text) })
    }

    // MARK: Scoring

    private static func registerScoring(_ type: NativeType) {
        type.method("logProbs", [.positional("text", "String"), .labeled("prompt", "String", default: .string(""))],
                    returns: "[Double]",
                    doc: "log p(token | everything before it) for each token of text, after prompt (with no prompt the "
                        + "first token is conditioned on BOS when the model has one, else left out).") { call in
            let model = try model(call)
            let logProbs = try completionLogProbs(model, call)
            return .array(logProbs.map { .double(Double($0)) })
        }
        type.method("perplexity", [.positional("text", "String"), .labeled("prompt", "String", default: .string(""))],
                    returns: "Double",
                    doc: "exp(−mean log p) over the tokens of text given prompt: lower means likelier.") { call in
            let model = try model(call)
            let logProbs = try completionLogProbs(model, call)
            guard !logProbs.isEmpty else {
                throw call.error("text has no token that can be scored (it needs at least one token after a prompt or BOS)")
            }
            return .double(exp(-logProbs.reduce(0.0) { $0 + Double($1) } / Double(logProbs.count)))
        }
    }

    private static func completionLogProbs(_ model: LanguageModel, _ call: NativeCall) throws -> [Float] {
        let ids = model.tokenizer.encode(try call.string("text"))
        try call.context.checkInterrupt()
        return try model.completionLogProbs(prompt: try call.string("prompt"), completionIDs: ids)
    }

    // MARK: Tokenizer

    private static func registerTokenizer(in registry: NativeRegistry) {
        registry.type("Tokenizer", doc: "Text ↔ token ids, exactly as the model's Hugging Face tokenizer.") { type in
            func tokenizer(_ call: NativeCall) throws -> PreTrainedTokenizer { try call.receiver(as: TokenizerObject.self).tokenizer }
            type.method("encode", [.positional("text", "String")], returns: "[Int]",
                        doc: "The token ids of text (special tokens written in it are recognised; no BOS/EOS added).") { call in
                .array(try tokenizer(call).encode(try call.string("text")).map { .int($0) })
            }
            type.method("decode", [.positional("ids", "[Int]"), .labeled("skipSpecialTokens", "Bool", default: .bool(false))],
                        returns: "String", doc: "The text of token ids.") { call in
                let tokenizer = try tokenizer(call)
                let ids = try call.array("ids").map { try Convert.int($0, or: call.error("ids must be [Int], found \($0.typeName)")) }
                if let bad = ids.first(where: { $0 < 0 || $0 >= tokenizer.vocabularySize }) {
                    throw call.error("token id \(bad) is outside the vocabulary (0..<\(tokenizer.vocabularySize))")
                }
                return .string(tokenizer.decode(ids, skipSpecialTokens: try call.bool("skipSpecialTokens")))
            }
            type.method("tokens", [.positional("text", "String")], returns: "[String]",
                        doc: "The token strings of text, as the vocabulary spells them.") { call in
                let tokenizer = try tokenizer(call)
                return .array(tokenizer.encode(try call.string("text")).map { .string(tokenizer.token(for: $0) ?? "") })
            }
            type.method("count", [.positional("text", "String")], returns: "Int", doc: "The number of tokens in text.") { call in
                .int(try tokenizer(call).encode(try call.string("text")).count)
            }
            type.property("vocabularySize", "Int", of: TokenizerObject.self, doc: "The number of token ids.") {
                .int($0.tokenizer.vocabularySize)
            }
        }
    }
}
