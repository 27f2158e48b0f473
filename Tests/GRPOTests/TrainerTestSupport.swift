import Foundation
import GRPO
import LLM

/// The shared tiny Llama fixture (2 layers, vocabulary 320, no tokenizer of its own) as a
/// loadable model: a temporary Hugging Face folder linking its config and weights, plus a
/// byte-level tokenizer.json with one token per byte (ids 3…258; 0–2 are <unk>, <s>, </s>).
enum TrainerTestSupport {
    static var fixtures: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["SWIFT_GRPO_FIXTURES"] ?? "/work/shared/fixtures")
    }

    static func tinyModel() throws -> LanguageModel {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-llama-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = fixtures.appendingPathComponent("tiny_models/llama")
        for name in ["config.json", "generation_config.json", "model.safetensors"] {
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(name),
                                                       withDestinationURL: source.appendingPathComponent(name))
        }
        try Data(byteTokenizerJSON().utf8).write(to: folder.appendingPathComponent("tokenizer.json"))
        return try LanguageModel.load(folder.path)
    }

    /// GPT-2's byte-to-character table, one vocabulary entry per byte.
    static func byteTokenizerJSON() -> String {
        var printable = Array(33...126) + Array(161...172) + Array(174...255)
        var characters = printable
        var extra = 0
        for byte in 0..<256 where !printable.contains(byte) {
            printable.append(byte)
            characters.append(256 + extra)
            extra += 1
        }
        var table = [Int: Int]()
        for (byte, character) in zip(printable, characters) { table[byte] = character }
        var vocabulary = ["\"<unk>\": 0", "\"<s>\": 1", "\"</s>\": 2"]
        for byte in 0..<256 {
            let scalar = Unicode.Scalar(UInt32(table[byte] ?? byte)) ?? "?"
            var text = String(Character(scalar))
            if text == "\"" { text = "\\\"" } else if text == "\\" { text = "\\\\" }
            vocabulary.append("\"\(text)\": \(3 + byte)")
        }
        let added = [("<unk>", 0), ("<s>", 1), ("</s>", 2)].map {
            "{\"id\": \($0.1), \"content\": \"\($0.0)\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}"
        }
        return """
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [\(added.joined(separator: ", "))],
         "normalizer": null,
         "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
         "post_processor": null,
         "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
         "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                   "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
                   "vocab": {\(vocabulary.joined(separator: ", "))}, "merges": []}}
        """
    }

    /// Twelve short text prompts.
    static var arithmeticDataset: Dataset {
        Dataset((1...12).map { i in ["prompt": .string("What is \(i) plus \(i % 5)?"), "answer": .string("\(i + i % 5)")] })
    }

    /// The share of a completion's characters that are vowels: varies between samples of an
    /// untrained model, so groups get non-zero advantages.
    static var vowelShare: Reward {
        Reward(name: "vowel_share", range: 0...1, perRow: { batch, row in
            let text = batch.completions[row]
            guard !text.isEmpty else { return 0 }
            return Double(text.filter { "aeiouAEIOU".contains($0) }.count) / Double(text.count)
        })
    }

    /// A fresh temporary output folder.
    static func outputFolder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("trainer-\(name)-\(getpid())-\(UUID().uuidString)").path
    }

    /// A small config for the tiny model: G = 4, two prompts per generation, GA 2.
    static func tinyConfig(_ name: String, steps: Int) -> GRPOConfig {
        var config = GRPOConfig(learningRate: 5e-3, numGenerations: 4, maxCompletionLength: 6, maxSteps: steps, beta: 0.04,
                                perDeviceTrainBatchSize: 4, gradientAccumulationSteps: 2, seed: 7,
                                outputDir: outputFolder(name))
        config.loggingSteps = 1
        config.saveSteps = 0
        config.warmupSteps = 1
        return config
    }

    /// The adapter's values as bytes.
    static func adapterBytes(_ adapter: LoRAAdapter) -> [UInt8] {
        adapter.flatValues.scalars.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
    }
}

/// Records what the trainer reports.
final class RecordingObserver: TrainerObserver {
    var started: [Int] = []
    var finished: [StepMetrics] = []
    var warnings: [TrainerWarning] = []
    var generated = 0

    func trainerWillStartStep(_ step: Int, of totalSteps: Int) { started.append(step) }
    func trainerDidGenerate(_ completions: [CompletionSample], step: Int) { generated += completions.count }
    func trainerDidFinishStep(_ metrics: StepMetrics) { finished.append(metrics) }
    func trainerDidWarn(_ warning: TrainerWarning) { warnings.append(warning) }
}
