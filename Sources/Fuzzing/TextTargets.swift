import Foundation
import GRPO
import LLM

/// Targets for text formats: tokenizer.json, chat templates and the dataset loaders.
enum TextTargets {
    static let sampleTexts = ["Hello world", "  leading spaces and\ttabs\n", "<|im_start|>user\nhi<|im_end|>",
                              "naïve café 東京 🙂👍🏽", "", String(repeating: "ab ", count: 300), "\u{0}\u{FFFD}\u{10FFFF}"]

    static let tokenizer = FuzzTarget(
        name: "tokenizer", summary: "tokenizer.json through the JSON builder, then encode and decode",
        seeds: { sources in
            var seeds = BuiltinTokenizerSeeds.all().map { FuzzSeed(name: $0.name, bytes: $0.bytes, weight: 20) }
            for url in sources.files(endingWith: [".json"]) where url.lastPathComponent.hasPrefix("tokenizer") {
                guard let data = try? Data(contentsOf: url), data.count < 8 << 20,
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
                var found: [Any] = []
                if object["model"] != nil { found.append(object) }
                if let one = object["tokenizer_json"] { found.append(one) }
                for entry in (object["tokenizers"] as? [[String: Any]]) ?? [] { if let one = entry["tokenizer_json"] { found.append(one) } }
                for (index, tokenizer) in found.enumerated() {
                    guard let text = (tokenizer as? String).map({ Data($0.utf8) })
                            ?? (try? JSONSerialization.data(withJSONObject: tokenizer)) else { continue }
                    let (bytes, cut) = text.count > 64 << 10 ? (smallVocabulary(text) ?? ([UInt8](text), false)) : ([UInt8](text), false)
                    seeds.append(FuzzSeed(name: "\(url.lastPathComponent)#\(index)" + (cut ? " (vocabulary cut to \(vocabularyLimit))" : ""),
                                          bytes: bytes, weight: bytes.count > 64 << 10 ? 1 : 10))
                }
            }
            return seeds
        },
        mutate: { bytes, _, rng, log in
            TextMutator(dictionary: tokenizerSnippets).mutate(&bytes, rng: &rng, log: &log)
        },
        run: { input, _ in
            let tokenizer = try Tokenizers.load(tokenizerJSON: Data(input.bytes))
            for text in sampleTexts {
                let ids = tokenizer.encode(text, addSpecialTokens: true)
                _ = tokenizer.decode(ids, skipSpecialTokens: true)
            }
            _ = tokenizer.decode([-1, Int.max, Int.min, tokenizer.vocabularySize], skipSpecialTokens: false)
            let stream = tokenizer.streamingDecoder()
            _ = stream
        })

    /// A real model's tokenizer.json (30,000–250,000 tokens, 0.5 s to build per input) is cut
    /// to the tokens with ids below this and the first merges: the same normalizer,
    /// pre-tokenizer, model, post-processor, decoder and added tokens.
    static let vocabularyLimit = 4096

    static func smallVocabulary(_ text: Data) -> ([UInt8], Bool)? {
        guard var object = try? JSONSerialization.jsonObject(with: text) as? [String: Any],
              var model = object["model"] as? [String: Any], let vocab = model["vocab"] as? [String: Int] else { return nil }
        model["vocab"] = vocab.filter { $0.value < vocabularyLimit }
        if let merges = model["merges"] as? [Any] { model["merges"] = Array(merges.prefix(vocabularyLimit)) }
        object["model"] = model
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        return ([UInt8](data), true)
    }

    static let tokenizerSnippets = [
        "\"type\": \"BPE\",", "\"type\": \"WordPiece\",", "\"type\": \"Unigram\",", "\"dropout\": 1e9,",
        "\"merges\": [\"a\", \"a b c\", \"\", [\"x\"]],", "\"vocab\": {\"a\": -1, \"b\": 9223372036854775807},",
        "\"added_tokens\": [{\"id\": 99999999, \"content\": \"\", \"special\": true}],",
        "\"pattern\": {\"Regex\": \"(((((((((\"},", "\"pattern\": {\"Regex\": \"\"},", "\"pattern\": {\"String\": \"\"},",
        "\"max_input_chars_per_word\": -1,", "\"continuing_subword_prefix\": \"\",",
        "\"normalizer\": {\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Replace\", \"pattern\": {\"String\": \"\"}, \"content\": \"xx\"}]},",
    ]

    static let chatTemplate = FuzzTarget(
        name: "chat-template", summary: "Jinja chat templates: parse, then render a conversation",
        seeds: { sources in
            var seeds = [FuzzSeed(name: "builtin ChatML", bytes: Array(BuiltinSeeds.chatTemplate.utf8))]
            for url in sources.files(endingWith: ["chat_templates.json"]) {
                guard let data = try? Data(contentsOf: url),
                      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let templates = object["templates"] as? [String: Any] else { continue }
                for (name, entry) in templates.sorted(by: { $0.key < $1.key }) {
                    guard let source = (entry as? String) ?? ((entry as? [String: Any])?["source"] as? String) else { continue }
                    seeds.append(FuzzSeed(name: "\(url.lastPathComponent)#\(name)", bytes: Array(source.utf8)))
                }
            }
            for url in sources.files(endingWith: [".jinja"]) {
                if let bytes = FuzzSeedSources.bytes(url) { seeds.append(FuzzSeed(name: url.path, bytes: bytes)) }
            }
            return seeds
        },
        mutate: { bytes, _, rng, log in
            TextMutator(dictionary: templateSnippets).mutate(&bytes, rng: &rng, log: &log)
        },
        run: { input, _ in
            let template = try ChatTemplate(source: String(decoding: input.bytes, as: UTF8.self))
            let messages: [[String: Any]] = [
                ["role": "system", "content": "Be brief."], ["role": "user", "content": "Hi {{ there }} {% raw %}"],
                ["role": "assistant", "content": "Hello!"], ["role": "user", "content": ""],
            ]
            _ = try template.render(messages: messages, addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>")
        })

    static let templateSnippets = [
        "{% for i in range(1000000000) %}x{% endfor %}", "{{ 'a' * 1000000000 }}", "{{ [1] * 1000000000 }}",
        "{{ messages[-99999999999999999999] }}", "{{ messages[9223372036854775807] }}", "{{ 9223372036854775807 + 1 }}",
        "{{ -9223372036854775808 // -1 }}", "{{ 1 // 0 }}", "{{ 1 % 0 }}", "{{ 2 ** 100000 }}", "{{ range(-1) }}",
        "{{ range(0, 10, 0) }}", "{{ 'abc'[::0] }}", "{{ 'abc'[9223372036854775807:] }}", "{{ 'abc'[-9223372036854775808:] }}",
        "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% set x = x %}", String(repeating: "(", count: 10_000),
        String(repeating: "{% if true %}", count: 2_000), "{{ x|tojson(indent=1000000000) }}", "{{ '%s' % 1 }}",
        "{{ 'a'|center(1000000000) }}", "{{ 'a'|indent(1000000000) }}", "{{ messages|batch(0) }}", "{{ 'x'|truncate(-1) }}",
        "{{ loop.cycle() }}", "{% for m in messages %}{{ loop.revindex0 }}{% endfor %}", "{{ raise_exception('x') }}",
        "{% endfor %}", "{%", "{{", "{#", "{% raw %}", "{{ namespace(a=1).b }}", "{{ 'a'.replace('', 'bb') }}",
        "{{ 'a'.split('') }}", "{{ messages|map(attribute='role')|join('x' * 100000) }}", "{{ 1e400 }}", "{{ '\\u' }}",
    ]

    static func dataset(_ name: String, suffix: String, builtin: String, snippets: [String],
                        load: @escaping (String) throws -> Dataset) -> FuzzTarget {
        FuzzTarget(
            name: name, summary: "Dataset.\(suffix)(path), then rows to columns, display and operations",
            seeds: { sources in
                var seeds = [FuzzSeed(name: "builtin", bytes: Array(builtin.utf8), weight: 30)]
                for url in sources.files(endingWith: [".\(suffix)"]) {
                    // Only files that load as a dataset (not every .json is one).
                    guard let bytes = FuzzSeedSources.bytes(url), bytes.count <= 256 << 10, (try? load(url.path)) != nil else { continue }
                    seeds.append(FuzzSeed(name: url.lastPathComponent, bytes: firstRows(of: bytes, suffix: suffix), weight: 3))
                }
                return seeds
            },
            mutate: { bytes, _, rng, log in
                TextMutator(dictionary: snippets).mutate(&bytes, rng: &rng, log: &log)
            },
            run: { input, scratch in
                let url = try scratch.write(input.bytes, as: "dataset.\(suffix)")
                let dataset = try load(url.path)
                _ = dataset.text
                _ = dataset.html
                _ = try RewardBatch(completions: dataset.rows.map { _ in "" }, rows: dataset.rows)
                if let column = dataset.columns.first { _ = try dataset.column(column) }
                _ = dataset.shuffled(seed: 1).head(3)
                _ = try dataset.split(testFraction: 0.5, seed: 2)
            })
    }

    /// A large JSON or JSONL dataset cut to its first rows: the same columns and value shapes,
    /// a fraction of the parse and display time per input. CSV stays whole (quoted newlines).
    static func firstRows(of bytes: [UInt8], suffix: String, rows: Int = 6) -> [UInt8] {
        guard bytes.count > 16 << 10 else { return bytes }
        if suffix == "jsonl" {
            let lines = bytes.split(separator: 10, omittingEmptySubsequences: true).prefix(rows)
            return Array(lines.joined(separator: [10]))
        }
        guard suffix == "json", let array = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [Any],
              let cut = try? JSONSerialization.data(withJSONObject: Array(array.prefix(rows))) else { return bytes }
        return [UInt8](cut)
    }

    static let datasetSnippets = [
        "{\"a\": 1, \"a\": 2},", "[]", "{}", "\"\\ud800\"", String(repeating: "[", count: 100_000), "1e999999",
        "{" + (0..<2_000).map { "\"c\($0)\": \($0)" }.joined(separator: ",") + "},",
    ]

    static let datasetJSON = dataset("dataset-json", suffix: "json", builtin: BuiltinSeeds.datasetJSON,
                                     snippets: datasetSnippets, load: { try Dataset.json($0) })
    static let datasetJSONL = dataset("dataset-jsonl", suffix: "jsonl", builtin: BuiltinSeeds.datasetJSONL,
                                      snippets: datasetSnippets + ["\n\n\n", "\r\n", "\u{FEFF}"], load: { try Dataset.jsonl($0) })
    static let datasetCSV = dataset("dataset-csv", suffix: "csv", builtin: BuiltinSeeds.datasetCSV,
                                    snippets: ["\"", "\"\"", "\r", "\r\n", "\n\n", String(repeating: ",", count: 100_000),
                                               "\"unterminated", "\u{FEFF}", "a,b,a\n", ",,\n"],
                                    load: { try Dataset.csv($0, inferTypes: true) })
}
