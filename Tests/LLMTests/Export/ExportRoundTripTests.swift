import Foundation
import LLM
import Tensor
import XCTest

/// A merged export read back by our own loader computes what the adapted model computed: the
/// Hugging Face folder (F32 exactly, BF16 within its rounding) and the GGUF (Q/K rows permuted
/// for llama.cpp on the way out and back on the way in).
final class ExportRoundTripTests: XCTestCase {
    private func adapted(_ family: String, seed: UInt64 = 3) throws -> (ModelSource, CausalLanguageModel, [Float]) {
        let source = try ModelSource.open(LoRATestSupport.tinyModelFolder(family).path)
        let network = try source.network()
        try network.attach(LoRAAdapter.randomized(for: network, config: LoRAConfig(rank: 4, alpha: 8, seed: seed)))
        return (source, network, try LoRATestSupport.logits(network))
    }

    private func logits(of url: URL) throws -> [Float] {
        try LoRATestSupport.logits(ModelSource.open(url.path).network())
    }

    private func worst(_ a: [Float], _ b: [Float]) -> Float {
        XCTAssertEqual(a.count, b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    func testMergedFolderReproducesTheAdaptedModel() throws {
        for family in ["llama", "qwen2"] {
            let (source, network, expected) = try adapted(family)
            let base = try network.withAdapterDisabled { try LoRATestSupport.logits(network) }
            XCTAssertGreaterThan(worst(base, expected), 0.05, "\(family): the random adapter changes the logits")
            let merged = try MergedModel(source: source, network: network)
            XCTAssertEqual(merged.mergedNames.count, network.attachedAdapter?.projections.count)
            let folder = try LoRATestSupport.scratchFolder().appendingPathComponent("merged")
            try HuggingFaceExport.write(merged, to: folder, dtype: .float32)
            for file in ["config.json", "model.safetensors", "generation_config.json"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), file)
            }
            XCTAssertLessThanOrEqual(worst(try logits(of: folder), expected), 1e-4, "\(family) F32 folder")

            try HuggingFaceExport.write(merged, to: folder, dtype: .bfloat16)
            let bf16 = try logits(of: folder)
            let error = worst(bf16, expected)
            XCTAssertGreaterThan(error, 0, "\(family): BF16 rounds the weights")
            XCTAssertLessThanOrEqual(error, 0.25, "\(family) BF16 folder (logits of std ~1.6, weights rounded to 8 bits)")
            let weights = try SafetensorsFile(url: folder.appendingPathComponent("model.safetensors"))
            XCTAssertEqual(weights.info(named: "model.layers.0.self_attn.q_proj.weight")?.dtype, .bfloat16)
        }
    }

    func testGGUFExportLoadsBackWithTheSameLogits() throws {
        for family in ["llama", "qwen2"] {
            let (source, network, expected) = try adapted(family)
            let url = try LoRATestSupport.scratchFolder().appendingPathComponent("\(family).gguf")
            let change = try GGUFModelExport.write(MergedModel(source: source, network: network), to: url, as: .uniform(.f32))
            XCTAssertNil(change, "an F32 base has no quantization to compare with")
            let file = try GGUFFile(url: url)
            XCTAssertEqual(file.architecture, family)
            XCTAssertEqual(file.metadata["general.file_type"]?.int, 0)
            XCTAssertNotNil(file.tensorInfo(named: "blk.1.attn_q.weight"))
            XCTAssertEqual(file.metadata["tokenizer.ggml.model"]?.string, "no_vocab")
            XCTAssertLessThanOrEqual(worst(try logits(of: url), expected), 1e-4, "\(family) F32 GGUF")
        }
    }

    /// The llama fixture's GGUF was written by gguf-py with llama.cpp's permutation: our export of
    /// the same (unadapted) model must store byte-identical Q and K tensors.
    func testQKRowsArePermutedLikeLlamaCpp() throws {
        let folder = LoRATestSupport.tinyModelFolder("llama")
        let reference = try GGUFFile(url: folder.appendingPathComponent("tiny-llama-F32.gguf"))
        let source = try ModelSource.open(folder.path)
        let url = try LoRATestSupport.scratchFolder().appendingPathComponent("tiny.gguf")
        try GGUFModelExport.write(MergedModel(source: source, network: source.network()), to: url, as: .uniform(.f32))
        let ours = try GGUFFile(url: url)
        for name in ["blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.1.attn_k.weight", "blk.1.ffn_down.weight"] {
            let a = try XCTUnwrap(ours.tensorInfo(named: name)), b = try XCTUnwrap(reference.tensorInfo(named: name))
            XCTAssertEqual(a.dimensions, b.dimensions, name)
            XCTAssertEqual(Array(ours.rawBytes(of: a)), Array(reference.rawBytes(of: b)), name)
        }
    }

    func testTensorNames() {
        XCTAssertEqual(GGUFTensorNaming.ggufName(for: "model.layers.12.self_attn.q_proj.weight"), "blk.12.attn_q.weight")
        XCTAssertEqual(GGUFTensorNaming.ggufName(for: "model.layers.0.self_attn.k_proj.bias"), "blk.0.attn_k.bias")
        XCTAssertEqual(GGUFTensorNaming.ggufName(for: "model.layers.3.post_attention_layernorm.weight"), "blk.3.ffn_norm.weight")
        XCTAssertEqual(GGUFTensorNaming.ggufName(for: "model.embed_tokens.weight"), "token_embd.weight")
        XCTAssertEqual(GGUFTensorNaming.ggufName(for: "lm_head.weight"), "output.weight")
        XCTAssertNil(GGUFTensorNaming.ggufName(for: "model.layers.0.self_attn.qkv_proj.weight"))
        XCTAssertEqual(GGUFTensorNaming.ggufModule(for: "model.layers.2.mlp.down_proj"), "blk.2.ffn_down")
    }

    func testStorageTypeFallbacks() {
        XCTAssertEqual(GGUFExportType.storageType(forShape: [576], preferred: .q8_0), .f32)
        XCTAssertEqual(GGUFExportType.storageType(forShape: [192, 576], preferred: .q4_1), .q4_1)
        XCTAssertEqual(GGUFExportType.storageType(forShape: [192, 576], preferred: .q4_K), .q5_0)
        XCTAssertEqual(GGUFExportType.storageType(forShape: [192, 512], preferred: .q6_K), .q6_K)
        XCTAssertEqual(GGUFExportType.storageType(forShape: [4, 48], preferred: .q8_0), .f16)
        XCTAssertEqual(GGUFExportType(name: "Q8_0"), .uniform(.q8_0))
        XCTAssertEqual(GGUFExportType(name: "same"), .sameAsBase)
        XCTAssertNil(GGUFExportType(name: "q9_9"))
    }
}
