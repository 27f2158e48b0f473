import ArgumentParser
import Foundation
import LLM

/// `swift-grpo embed`: sentence embeddings with all-MiniLM-L6-v2.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed JSON lines {\"text\": …} into {\"embedding\": […]} (unit length, mean pooled).")

    @Option(help: "A registry name or a BERT sentence-transformers folder.")
    var model: String = ModelRegistry.defaultEncoderName

    func run() throws {
        let encoder = try SentenceEncoder.load(model)
        try JSONLines.forEachObject { record, line in
            let text = try JSONLines.field("text", of: record, line: line, as: String.self, example: "{\"text\": \"…\"}")
            try JSONLines.write(["embedding": try encoder.embed(text).map(Double.init)])
        }
    }
}
