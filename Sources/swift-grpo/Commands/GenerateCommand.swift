import ArgumentParser
import Foundation
import LLM

/// `swift-grpo generate`: stream a continuation of a prompt or a chat turn.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text with a model, streaming tokens as they come.")

    @Option(help: "A registry name, a .gguf file, a Hugging Face folder or a cached HF id.")
    var model: String = ModelRegistry.defaultModelName
    @Option(help: "A PEFT LoRA adapter folder to attach to --model (checked against its base_model_name_or_path).")
    var adapter: String?
    @Option(help: "Raw prompt text; special tokens such as <|im_start|> in it are recognised.")
    var prompt: String?
    @Option(help: "A user message, wrapped in the model's chat template.")
    var chat: String?
    @Option(help: "A system message for --chat.")
    var system: String?
    @Option(name: .customLong("chat-template"),
            help: "The chat template for --chat instead of the model's own (base models have none): chatml, llama3, gemma, a template file, or Jinja text.")
    var chatTemplate: String?
    @Option(name: .customLong("max-new-tokens"), help: "The most tokens to generate.")
    var maxNewTokens = 128
    @Option(help: "Sampling temperature (0 = greedy; default: the model's generation_config.json, else 0.7).")
    var temperature: Float?
    @Option(name: .customLong("top-p"), help: "Nucleus sampling threshold (1 = off; default: the model's, else off).")
    var topP: Float?
    @Option(name: .customLong("top-k"), help: "Keep only the K most likely tokens (0 = off; default: the model's, else off).")
    var topK: Int?
    @Option(name: .customLong("min-p"), help: "Drop tokens below min-p × the top probability (0 = off).")
    var minP: Float = 0
    @Option(name: .customLong("repetition-penalty"), help: "Penalty for tokens already in the context (1 = off).")
    var repetitionPenalty: Float = 1
    @Option(help: "Random seed; the same seed gives the same text.")
    var seed: UInt64 = 0
    @Flag(help: "Always pick the most likely token.")
    var greedy = false
    @Flag(help: "Print {\"ids\": […], \"text\": …} of the new tokens instead of streaming.")
    var json = false

    /// The sampling options: what the user gave, the model's defaults for the rest.
    func sampling(defaults: SamplingOptions) -> SamplingOptions {
        var options = defaults
        if let temperature { options.temperature = temperature }
        if let topP { options.topP = topP }
        if let topK { options.topK = topK }
        options.minP = minP
        options.repetitionPenalty = repetitionPenalty
        options.greedy = greedy
        return options
    }

    func validate() throws {
        guard (prompt == nil) != (chat == nil) else {
            throw ValidationError("Pass exactly one of --prompt TEXT or --chat TEXT.")
        }
        if system != nil && chat == nil { throw ValidationError("--system needs --chat.") }
    }

    func run() throws {
        let languageModel = try LanguageModel.load(model, chatTemplate: chatTemplate)
        if let adapter { try languageModel.loadLoRA(from: URL(fileURLWithPath: adapter)) }
        let text: String
        if let chat {
            var messages = [ChatMessage]()
            if let system { messages.append(.system(system)) }
            messages.append(.user(chat))
            text = try languageModel.chatPrompt(messages)
        } else {
            text = prompt ?? ""
        }
        let options = GenerationOptions(
            maxNewTokens: maxNewTokens,
            sampling: sampling(defaults: languageModel.samplingDefaults),
            seed: seed)
        let interrupt = InterruptFlag.installed()
        let output = FileHandle.standardOutput
        let result = try languageModel.generate(
            text, options: options,
            onToken: json ? nil : { _, _, piece in output.write(Data(piece.utf8)) },
            isCancelled: { interrupt.isSet })
        if json {
            try JSONLines.write(["ids": result.tokens, "text": result.text])
        } else {
            output.write(Data("\n".utf8))
        }
    }
}

/// Set by Ctrl-C so long-running commands stop cleanly between steps.
final class InterruptFlag: @unchecked Sendable {
    private static var shared: InterruptFlag?
    private var flag: sig_atomic_t = 0

    var isSet: Bool { flag != 0 }

    /// Installs a SIGINT handler that sets the returned flag (a second Ctrl-C exits).
    static func installed() -> InterruptFlag {
        let interrupt = InterruptFlag()
        shared = interrupt
        signal(SIGINT) { _ in
            if InterruptFlag.shared?.flag != 0 { _exit(130) }
            InterruptFlag.shared?.flag = 1
        }
        return interrupt
    }
}
