import Foundation
import LLM
import Tensor
import XCTest

final class LoadingFolderTests: LoadingTestCase {
    func testConfigsAreTypedButTolerant() throws {
        let folder = try LoadingTestPaths.scratchFolder()
        try LoadingTestPaths.write(#"""
        {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 64,
         "num_attention_heads": 4, "num_hidden_layers": "two", "eos_token_id": [2, 7],
         "rope_parameters": {"rope_theta": 500000.0, "rope_type": "llama3"}, "tie_word_embeddings": false,
         "future_field": {"anything": [1, 2]}}
        """#, to: folder.appendingPathComponent("config.json"))
        try LoadingTestPaths.write(#"""
        {"bos_token": {"content": "<s>", "lstrip": false, "normalized": false, "special": true},
         "eos_token": "</s>", "pad_token": null, "add_bos_token": true, "model_max_length": 1000000000000000019884624838656,
         "chat_template": [{"name": "default", "template": "{{ bos_token }}"}, {"name": "tool_use", "template": "T"}],
         "added_tokens_decoder": {"2": {"content": "</s>", "special": true, "lstrip": false, "rstrip": true, "normalized": false},
                                  "1": {"content": "<s>", "special": true}}}
        """#, to: folder.appendingPathComponent("tokenizer_config.json"))
        try LoadingTestPaths.write(#"{"bos_token_id": 1, "eos_token_id": [2, 7], "temperature": 0.6, "do_sample": true, "top_k": 20}"#,
                                   to: folder.appendingPathComponent("generation_config.json"))
        let hf = try HuggingFaceFolder(url: folder)
        let config = try hf.config()
        XCTAssertEqual(config.modelType, "llama")
        XCTAssertEqual(config.architectures, ["LlamaForCausalLM"])
        XCTAssertEqual(config.hiddenSize, 64)
        XCTAssertNil(config.layerCount, "a wrongly typed field reads as nil")
        XCTAssertEqual(config.headDim, 16)
        XCTAssertEqual(config.kvHeadCount, 4)
        XCTAssertEqual(config.eosTokenIDs, [2, 7])
        XCTAssertEqual(config.ropeTheta, 500000)
        XCTAssertEqual(config.ropeParameters?["rope_type"]?.stringValue, "llama3")
        XCTAssertFalse(config.tiedWordEmbeddings)
        XCTAssertNotNil(config.json["future_field"])

        let tokenizer = try XCTUnwrap(try hf.tokenizerConfig())
        XCTAssertEqual(tokenizer.bosToken, "<s>")
        XCTAssertEqual(tokenizer.eosToken, "</s>")
        XCTAssertNil(tokenizer.padToken)
        XCTAssertEqual(tokenizer.addBosToken, true)
        XCTAssertNil(tokenizer.modelMaxLength)
        XCTAssertEqual(tokenizer.chatTemplate, "{{ bos_token }}")
        XCTAssertEqual(tokenizer.namedChatTemplates["tool_use"], "T")
        XCTAssertEqual(tokenizer.addedTokens.map(\.id), [1, 2])
        XCTAssertEqual(tokenizer.addedTokens.last?.stripsRight, true)

        let generation = try XCTUnwrap(try hf.generationConfig())
        XCTAssertEqual(generation, GenerationConfig(bosTokenID: 1, eosTokenIDs: [2, 7], doSample: true,
                                                    temperature: 0.6, topK: 20))
        let settings = try ChatTemplateSettings(folder: hf, reference: "x")
        XCTAssertEqual(settings, ChatTemplateSettings(template: "{{ bos_token }}", bosToken: "<s>", eosToken: "</s>"))
    }

    func testTransformersFiveConfigOfTheSharedTinyModel() throws {
        let url = LoadingTestPaths.sharedFixtures.appendingPathComponent("tiny_models/llama")
        let hf = try HuggingFaceFolder(url: url)
        let config = try hf.config()
        XCTAssertEqual(config.ropeTheta, 10000)
        XCTAssertEqual(config.headDim, 16)
        XCTAssertEqual(config.kvHeadCount, 2)
        XCTAssertEqual(try hf.generationConfig()?.eosTokenIDs, [2])
        let checkpoint = try hf.checkpoint()
        XCTAssertEqual(try checkpoint.tensor(named: "model.embed_tokens.weight").shape, [320, 64])
        XCTAssertNil(try hf.tokenizerConfig())
        XCTAssertThrowsError(try ChatTemplateSettings(folder: hf, reference: "tiny")) {
            XCTAssertEqual($0 as? ModelLoadingError, .noChatTemplate(reference: "tiny"))
        }
    }

    func testShardedCheckpoint() throws {
        let folder = try LoadingTestPaths.scratchFolder()
        var first = SafetensorsWriter(metadata: ["format": "pt"])
        try first.add("a.weight", tensor: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        try first.write(to: folder.appendingPathComponent("model-00001-of-00002.safetensors"))
        var second = SafetensorsWriter()
        try second.add("b.weight", tensor: Tensor(shape: [3], scalars: [5, 6, 7]), as: .bfloat16)
        try second.write(to: folder.appendingPathComponent("model-00002-of-00002.safetensors"))
        let index = #"""
        {"metadata": {"total_size": 22}, "weight_map": {"a.weight": "model-00001-of-00002.safetensors",
                                                        "b.weight": "model-00002-of-00002.safetensors"}}
        """#
        try LoadingTestPaths.write(index, to: folder.appendingPathComponent("model.safetensors.index.json"))
        let hf = try HuggingFaceFolder(url: folder)
        XCTAssertEqual(try hf.weightFiles().map(\.lastPathComponent),
                       ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"])
        let checkpoint = try hf.checkpoint()
        XCTAssertEqual(checkpoint.names, ["a.weight", "b.weight"])
        XCTAssertEqual(try checkpoint.tensor(named: "b.weight").scalars, [5, 6, 7])
        XCTAssertThrowsError(try checkpoint.tensor(named: "c.weight"))

        // The index names a tensor its shard does not hold.
        try LoadingTestPaths.write(index.replacingOccurrences(of: "\"b.weight\": \"model-00002", with: "\"b.weight\": \"model-00001"),
                                   to: folder.appendingPathComponent("model.safetensors.index.json"))
        XCTAssertThrowsError(try hf.checkpoint()) { error in
            guard case .invalidShardIndex? = error as? ModelLoadingError else { return XCTFail("\(error)") }
        }
        // A missing shard.
        try LoadingTestPaths.write(index.replacingOccurrences(of: "00002-of-00002", with: "00003-of-00002"),
                                   to: folder.appendingPathComponent("model.safetensors.index.json"))
        XCTAssertThrowsError(try hf.weightFiles()) { error in
            guard case let .invalidShardIndex(_, detail)? = error as? ModelLoadingError else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("missing"))
        }
    }

    func testMissingAndBrokenFiles() throws {
        let folder = try LoadingTestPaths.scratchFolder()
        let hf = try HuggingFaceFolder(url: folder)
        XCTAssertThrowsError(try hf.config()) {
            XCTAssertEqual($0 as? ModelLoadingError, .missingFile(folder: folder.path, file: "config.json"))
        }
        XCTAssertThrowsError(try hf.weightFiles())
        XCTAssertNil(try hf.tokenizerConfig())
        try LoadingTestPaths.write("{not json", to: folder.appendingPathComponent("config.json"))
        XCTAssertThrowsError(try hf.config()) {
            guard case .invalidJSON? = $0 as? ModelLoadingError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try HuggingFaceFolder(url: folder.appendingPathComponent("nope")))
    }
}
