import Foundation
import LLM
import TextFormats

/// A loaded language model as cells see it (`Model`): a reference, shown as a summary table.
final class ModelObject: NativeObject, CustomStringConvertible {
    let model: LanguageModel
    private(set) lazy var tokenizer = TokenizerObject(model.tokenizer)

    init(_ model: LanguageModel) {
        self.model = model
    }

    var typeName: String { "Model" }

    /// The name the model was loaded by (a registry name, path or HF id).
    var name: String { model.location.reference }

    var parameterCount: Int { model.network.parameterCount }

    var description: String {
        "Model(\(name): \(model.config.family.rawValue), \(Self.count(parameterCount)) parameters)"
    }

    /// The rows of the summary: architecture, sizes, memory and where it came from.
    var summary: [(String, String)] {
        let config = model.config
        return [
            ("name", name),
            ("architecture", config.family.rawValue),
            ("parameters", "\(Self.count(parameterCount)) (\(parameterCount.formatted()))"),
            ("layers", "\(config.layerCount)"),
            ("hidden size", "\(config.hiddenSize) (MLP \(config.intermediateSize))"),
            ("attention heads", "\(config.headCount) query, \(config.kvHeadCount) key/value, \(config.headDim) wide"),
            ("vocabulary", "\(config.vocabularySize) tokens"),
            ("context", "\(config.maxPositions) tokens"),
            ("weights in memory", weightMemory),
            ("chat template", model.chatTemplate == nil ? "none" : "yes"),
            ("file", "\(model.location.url.path) (\(model.location.format.rawValue))"),
            ("loaded in", String(format: "%.2f s", model.loadSeconds)),
        ]
    }

    /// "0.1 MiB Float32 + 93 MiB quantized blocks".
    private var weightMemory: String {
        let mebibyte = 1_048_576.0
        let network = model.network
        let dense = String(format: "%.1f MiB Float32", Double(network.float32ParameterCount * MemoryLayout<Float>.size) / mebibyte)
        let blocks = network.quantizedByteCount
        return blocks == 0 ? dense : dense + String(format: " + %.0f MiB quantized blocks", Double(blocks) / mebibyte)
    }

    func mimeBundle() -> MIMEBundle? {
        let plain = summary.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
        let rows = summary.map { "<tr><th style=\"text-align:left\">\(HTMLText.escape($0.0))</th><td style=\"text-align:left\">\(HTMLText.escape($0.1))</td></tr>" }
        return MIMEBundle(data: ["text/plain": plain,
                                 "text/html": "<table>\n" + rows.joined(separator: "\n") + "\n</table>"])
    }

    /// 134515008 → "134.5M".
    static func count(_ n: Int) -> String {
        switch n {
        case 1_000_000_000...: return String(format: "%.1fB", Double(n) / 1e9)
        case 1_000_000...: return String(format: "%.1fM", Double(n) / 1e6)
        case 1_000...: return String(format: "%.1fK", Double(n) / 1e3)
        default: return "\(n)"
        }
    }
}

/// A model's tokenizer as cells see it (`Tokenizer`).
final class TokenizerObject: NativeObject, CustomStringConvertible {
    let tokenizer: PreTrainedTokenizer

    init(_ tokenizer: PreTrainedTokenizer) {
        self.tokenizer = tokenizer
    }

    var typeName: String { "Tokenizer" }
    var description: String { "Tokenizer(\(tokenizer.vocabularySize) tokens)" }
}
