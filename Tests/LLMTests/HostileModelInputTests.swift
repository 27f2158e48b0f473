import Foundation
import LLM
import Tensor
import TextFormats
import XCTest

/// Config values and tensor shapes a hostile (or broken) model file can carry: each must be an
/// error naming the file, the field, the value and what was expected, before any allocation
/// sized by it and before any op sees a tensor.
final class HostileModelInputTests: LoadingTestCase {
    private var tinyLlama: URL { LoadingTestPaths.sharedFixtures.appendingPathComponent("tiny_models/llama") }

    private func configError(_ body: () throws -> Void) -> ModelConfigError? {
        do {
            try body()
            return nil
        } catch {
            return error as? ModelConfigError
        }
    }

    private func ggufWithBlockCount(_ value: GGUFValue) throws -> GGUFFile {
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("llama"))
        writer.set("llama.block_count", value)
        writer.set("llama.embedding_length", .uint32(64))
        writer.set("llama.feed_forward_length", .uint32(128))
        writer.set("llama.attention.head_count", .uint32(4))
        writer.set("llama.vocab_size", .uint32(320))
        let url = try LoadingTestPaths.scratchFolder().appendingPathComponent("model.gguf")
        try writer.write(to: url)
        return try GGUFFile(url: url)
    }

    /// `llama.block_count` = 2^31−1 aborted on an 80 GB allocation; as INT32 −1 it trapped
    /// building an array with a negative count.
    func testGGUFBlockCountEdgeValuesAreConfigErrors() throws {
        for value: GGUFValue in [.uint32(UInt32(Int32.max)), .int32(-1), .int32(0), .uint64(UInt64(Int64.max)), .int64(Int64.min), .uint32(5000)] {
            let gguf = try ggufWithBlockCount(value)
            guard case let .invalidField(field, detail, source)? = configError({ _ = try TransformerConfig(gguf: gguf) }) else {
                XCTFail("block_count \(value) must be an invalid field"); continue
            }
            XCTAssertEqual(field, "llama.block_count")
            XCTAssertTrue(detail.contains("expected 1...4096"), detail)
            XCTAssertTrue(source.contains(gguf.path))
        }
        XCTAssertNoThrow(try TransformerConfig(gguf: try ggufWithBlockCount(.uint32(2))))
        // 2^63 is no Int at all: present but invalid, not "missing".
        let huge = try ggufWithBlockCount(.uint64(1 << 63))
        guard case let .invalidField(field, detail, _)? = configError({ _ = try TransformerConfig(gguf: huge) }) else {
            return XCTFail("block_count 2^63 must be an invalid field")
        }
        XCTAssertEqual(field, "llama.block_count")
        XCTAssertTrue(detail.contains("9223372036854775808") && detail.contains("expected an integer"), detail)
    }

    private func config(_ edit: (inout JSONValue) -> Void) throws -> HuggingFaceConfig {
        let file = try HuggingFaceConfig(contentsOf: tinyLlama.appendingPathComponent("config.json"))
        var json = file.json
        edit(&json)
        return HuggingFaceConfig(json: json, source: file.source)
    }

    func testHuggingFaceConfigValuesAreBoundedBeforeUse() throws {
        let cases: [(String, JSONValue, String)] = [
            ("num_hidden_layers", -1, "num_hidden_layers"), ("num_hidden_layers", 2_147_483_647, "num_hidden_layers"),
            ("num_hidden_layers", 1e300, "num_hidden_layers"), ("num_hidden_layers", 2.5, "num_hidden_layers"),
            ("max_position_embeddings", .int(Int.max), "max_position_embeddings"),
            // Found by `swift-grpo fuzz config` (seed 2001): negative values trapped sizing the RoPE tables.
            ("max_position_embeddings", -1, "max_position_embeddings"), ("max_position_embeddings", .int(Int.min), "max_position_embeddings"),
            ("partial_rotary_factor", 1e39, "partial_rotary_factor"), ("partial_rotary_factor", -0.5, "partial_rotary_factor"),
            ("num_attention_heads", .int(1 << 40), "num_attention_heads"),
            // Found by `swift-grpo fuzz config` (seed 2013, input 913): Phi-3's fused gate/up size overflowed.
            ("intermediate_size", .int(Int.max), "intermediate_size"), ("hidden_size", .int(1 << 40), "hidden_size"),
            ("vocab_size", .int(Int.max), "vocab_size"),
        ]
        for (key, value, field) in cases {
            let edited = try config { $0[key] = value }
            guard case let .invalidField(reported, _, _)? = configError({ _ = try TransformerConfig(huggingFace: edited) }) else {
                XCTFail("\(key) = \(value) must be an invalid field"); continue
            }
            XCTAssertEqual(reported, field, "\(key) = \(value)")
        }
    }

    /// Found by `swift-grpo fuzz config` (seed 2002, input 722): Gemma 3 with `sliding_window`
    /// −1e308 reached the attention op's window precondition.
    func testSlidingWindowMustBeAPositiveInteger() throws {
        let folder = LoadingTestPaths.packageFixtures.appendingPathComponent("tiny_models/gemma3")
        let file = try HuggingFaceConfig(contentsOf: folder.appendingPathComponent("config.json"))
        XCTAssertNoThrow(try TransformerConfig(huggingFace: file))
        for value: JSONValue in [-1, 0, -1e308, 1.5] {
            var json = file.json
            json["sliding_window"] = value
            let edited = HuggingFaceConfig(json: json, source: file.source)
            guard case let .invalidField(field, _, _)? = configError({ _ = try TransformerConfig(huggingFace: edited) }) else {
                XCTFail("sliding_window \(value) must be an invalid field"); continue
            }
            XCTAssertEqual(field, "sliding_window")
        }
    }

    private func model(layers: Int) throws -> CausalLanguageModel {
        let edited = try config { $0["num_hidden_layers"] = .int(layers) }
        let config = try TransformerConfig(huggingFace: edited)
        let weights = try ModelWeights(checkpoint: try HuggingFaceFolder(url: tinyLlama).checkpoint())
        return try CausalLanguageModel(config: config, weights: weights)
    }

    func testLayerCountIsCheckedAgainstTheBlocksPresent() throws {
        XCTAssertNoThrow(try model(layers: 2))
        for layers in [1, 3, 4096] {
            guard case let .invalidField(field, detail, source)? = configError({ _ = try model(layers: layers) }) else {
                XCTFail("\(layers) layers must not build a 2-layer checkpoint"); continue
            }
            XCTAssertEqual(field, "num_hidden_layers")
            XCTAssertTrue(detail.contains("\(layers)") && detail.contains("blocks for 2"), detail)
            XCTAssertTrue(source.contains("model.safetensors"), source)
        }
    }

    /// The embedding op's index precondition trapped on ids outside the table.
    func testTokenIDsOutsideTheVocabularyAreErrors() throws {
        let model = try model(layers: 2)
        for id in [320, -1, Int.max] {
            XCTAssertThrowsError(try model.logits(tokens: [1, id])) { error in
                XCTAssertEqual(error as? ModelInputError, .tokenOutOfRange(id: id, position: 1, vocabularySize: 320))
            }
        }
        XCTAssertNoThrow(try model.logits(tokens: [0, 319]))
    }

    // MARK: - BERT

    private func bertWeights(wordShape: [Int]) -> ModelWeights {
        var tensors: [String: Tensor] = [:]
        func add(_ name: String, _ shape: [Int]) {
            tensors[name] = Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { Float($0 % 7) * 0.01 })
        }
        add("embeddings.word_embeddings.weight", wordShape)
        add("embeddings.position_embeddings.weight", [8, 4])
        add("embeddings.token_type_embeddings.weight", [2, 4])
        for norm in ["embeddings.LayerNorm", "encoder.layer.0.attention.output.LayerNorm", "encoder.layer.0.output.LayerNorm"] {
            add("\(norm).weight", [4]); add("\(norm).bias", [4])
        }
        for (name, out, input) in [("attention.self.query", 4, 4), ("attention.self.key", 4, 4), ("attention.self.value", 4, 4),
                                   ("attention.output.dense", 4, 4), ("intermediate.dense", 8, 4), ("output.dense", 4, 8)] {
            add("encoder.layer.0.\(name).weight", [out, input]); add("encoder.layer.0.\(name).bias", [out])
        }
        return ModelWeights(tensors: tensors, source: "model.safetensors")
    }

    private let bertConfig: JSONValue = [
        "model_type": "bert", "hidden_size": 4, "intermediate_size": 8, "num_attention_heads": 1,
        "num_hidden_layers": 1, "max_position_embeddings": 8, "vocab_size": 6, "type_vocab_size": 2,
    ]

    /// A word-embedding table with the right byte size but transposed trapped in the embedding op.
    func testTransposedBertWordEmbeddingsAreAShapeError() throws {
        XCTAssertThrowsError(try BertEncoder(config: HuggingFaceConfig(json: bertConfig), weights: bertWeights(wordShape: [4, 6]))) { error in
            XCTAssertEqual(error as? ModelWeightError,
                           .wrongShape(name: "embeddings.word_embeddings.weight", expected: [6, 4], actual: [4, 6], source: "model.safetensors"))
        }
        let encoder = try BertEncoder(config: HuggingFaceConfig(json: bertConfig), weights: bertWeights(wordShape: [6, 4]))
        XCTAssertNoThrow(try encoder.encode([0, 5]))
        XCTAssertThrowsError(try encoder.encode([0, 6])) { error in
            XCTAssertEqual(error as? ModelInputError, .tokenOutOfRange(id: 6, position: 1, vocabularySize: 6))
        }
        var broken = bertConfig
        broken["num_attention_heads"] = 0
        XCTAssertThrowsError(try BertEncoder(config: HuggingFaceConfig(json: broken), weights: bertWeights(wordShape: [6, 4])))
        broken = bertConfig
        broken["num_hidden_layers"] = -1
        XCTAssertThrowsError(try BertEncoder(config: HuggingFaceConfig(json: broken), weights: bertWeights(wordShape: [6, 4])))
    }
}

/// tokenizer.json ids found by `swift-grpo fuzz tokenizer`: one id of 2^32 in a 300-token
/// vocabulary sized a 64 GB table.
final class TokenizerHostileInputTests: XCTestCase {
    private func tokenizerJSON(vocab: [String: Int], added: [[String: Any]] = []) throws -> Data {
        try JSONSerialization.data(withJSONObject: [
            "model": ["type": "BPE", "vocab": vocab, "merges": ["a b"]],
            "added_tokens": added,
        ] as [String: Any])
    }

    func testAbsurdTokenIDsAreErrors() throws {
        for id in [4_294_967_296, -1, Int.max] {
            XCTAssertThrowsError(try Tokenizers.load(tokenizerJSON: tokenizerJSON(vocab: ["a": 0, "b": 1, "ab": id]))) { error in
                XCTAssertTrue("\(error)".contains("'ab' the id \(id)"), "\(error)")
            }
            let added: [[String: Any]] = [["id": id, "content": "<x>", "special": true]]
            XCTAssertThrowsError(try Tokenizers.load(tokenizerJSON: tokenizerJSON(vocab: ["a": 0, "b": 1, "ab": 2], added: added))) { error in
                XCTAssertTrue("\(error)".contains("added_tokens"), "\(error)")
            }
        }
        XCTAssertNoThrow(try Tokenizers.load(tokenizerJSON: tokenizerJSON(vocab: ["a": 0, "b": 1, "ab": 2],
                                                                         added: [["id": 3, "content": "<x>", "special": true]])))
    }
}

/// A rank-0 tensor named like a llama Q projection trapped un-permuting its rows.
final class GGUFWeightsHostileInputTests: LoadingTestCase {
    private static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    private static func string(_ s: String) -> [UInt8] { le(UInt64(s.utf8.count)) + Array(s.utf8) }

    func testRankZeroRotaryTensorIsAnErrorNotATrap() throws {
        // GGUF v3: one metadata entry, one F32 tensor of rank 0 (one element) named blk.0.attn_q.weight.
        var bytes = Array("GGUF".utf8) + Self.le(UInt32(3)) + Self.le(UInt64(1)) + Self.le(UInt64(1))
        bytes += Self.string("general.architecture") + Self.le(UInt32(8)) + Self.string("llama")
        bytes += Self.string("blk.0.attn_q.weight") + Self.le(UInt32(0)) + Self.le(UInt32(0)) + Self.le(UInt64(0))
        bytes += [UInt8](repeating: 0, count: (32 - bytes.count % 32) % 32) + Self.le(Float(1.5).bitPattern)
        let url = try LoadingTestPaths.scratchFolder().appendingPathComponent("rank0.gguf")
        try Data(bytes).write(to: url)
        let gguf = try GGUFFile(url: url)
        XCTAssertEqual(gguf.tensors.first?.shape, [])
        let config = try TransformerConfig(huggingFace: HuggingFaceConfig(
            contentsOf: LoadingTestPaths.sharedFixtures.appendingPathComponent("tiny_models/llama/config.json")))
        let weights = try ModelWeights(gguf: gguf, config: config)
        XCTAssertEqual(weights.tensors["model.layers.0.self_attn.q_proj.weight"]?.scalars, [1.5])
        XCTAssertThrowsError(try CausalLanguageModel(config: config, weights: weights))
    }
}
