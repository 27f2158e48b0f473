import ArgumentParser
import Foundation
import LLM
import TextFormats

/// `swift-grpo tokenize`: JSON lines `{"text": …}` in, `{"ids": […]}` out.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize JSON lines {\"text\": …} from stdin into {\"ids\": […]}.",
        discussion: """
            Special tokens written in the text (such as <|im_start|>) become single ids. BOS/EOS \
            are added only when the model's metadata asks for them.
            """
    )

    @Option(name: .long, help: "A registry name, a .gguf file, a Hugging Face folder or a cached HF id.")
    var model: String = ModelRegistry.defaultModelName

    @Flag(name: .long, help: "Also write the decoded ids as \"text\".")
    var decode = false

    @Flag(name: .long, help: "Print counts and encoding throughput (CPU time) to stderr at the end.")
    var stats = false

    func run() throws {
        let tokenizer = try ModelSource.open(model).tokenizer()
        let output = FileHandle.standardOutput
        var lineNumber = 0
        var textBytes = 0, tokenCount = 0, encodeSeconds = 0.0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let text = try Self.text(of: line, lineNumber: lineNumber)
            let start = clock()
            let ids = tokenizer.encode(text, addSpecialTokens: true)
            encodeSeconds += Double(clock() - start) / Double(CLOCKS_PER_SEC)
            textBytes += text.utf8.count
            tokenCount += ids.count
            var record = "{\"ids\":[" + ids.map(String.init).joined(separator: ",") + "]"
            if decode {
                record += ",\"text\":" + JSONString.quoted(tokenizer.decode(ids), escapingLineSeparators: true)
            }
            output.write(Data((record + "}\n").utf8))
        }
        if stats {
            let rate = encodeSeconds > 0 ? Double(textBytes) / encodeSeconds / 1e6 : 0
            let summary = String(format: "tokenize: %d bytes of text → %d tokens; encode %.3f s CPU, %.1f MB/s\n",
                                 textBytes, tokenCount, encodeSeconds, rate)
            FileHandle.standardError.write(Data(summary.utf8))
        }
    }

    private static func text(of line: String, lineNumber: Int) throws -> String {
        guard let record = try? JSONParser.parse(line), record.objectValue != nil else {
            throw TokenizeInputError.notAnObject(line: lineNumber)
        }
        guard let text = record["text"]?.stringValue else {
            throw TokenizeInputError.missingText(line: lineNumber)
        }
        return text
    }
}

/// A stdin line `tokenize` cannot read.
enum TokenizeInputError: Error, CustomStringConvertible {
    case notAnObject(line: Int)
    case missingText(line: Int)

    var description: String {
        switch self {
        case let .notAnObject(line):
            return "stdin line \(line) is not a JSON object; write one {\"text\": \"…\"} object per line."
        case let .missingText(line):
            return "stdin line \(line) has no string field \"text\"; write {\"text\": \"…\"}."
        }
    }
}
