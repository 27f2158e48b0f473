import Foundation
import LLM
import Tensor
import XCTest

/// The adapter alone as a llama.cpp LoRA GGUF, exporting back to a quantized base's own types
/// (and the report of what the merge changed), and the errors of impossible exports.
final class ExportAdapterAndQuantizationTests: XCTestCase {
    private func tiny(_ family: String) throws -> (ModelSource, CausalLanguageModel) {
        let source = try ModelSource.open(LoRATestSupport.tinyModelFolder(family).path)
        return (source, try source.network())
    }

    func testLoRAGGUFLayout() throws {
        let (_, network) = try tiny("llama")
        let adapter = try LoRAAdapter.randomized(for: network, config: LoRAConfig(rank: 4, alpha: 8, useRSLoRA: true, seed: 5))
        let url = try LoRATestSupport.scratchFolder().appendingPathComponent("lora.gguf")
        try LoRAGGUFExport.write(adapter, config: network.config, to: url, name: "test")
        let file = try GGUFFile(url: url)
        XCTAssertEqual(file.metadata["general.type"]?.string, "adapter")
        XCTAssertEqual(file.metadata["adapter.type"]?.string, "lora")
        XCTAssertEqual(file.architecture, "llama")
        // llama.cpp scales by alpha/r: rsLoRA's alpha/√r is written as alpha·√r.
        XCTAssertEqual(try XCTUnwrap(file.metadata["adapter.lora.alpha"]?.float), 8 * 2, accuracy: 1e-5)
        XCTAssertEqual(file.tensors.count, 2 * adapter.projections.count)
        let a = try XCTUnwrap(file.tensorInfo(named: "blk.0.attn_q.weight.lora_a"))
        let b = try XCTUnwrap(file.tensorInfo(named: "blk.0.attn_k.weight.lora_b"))
        XCTAssertEqual(a.dimensions, [64, 4])   // ne = [in, r]
        XCTAssertEqual(b.dimensions, [4, 32])   // ne = [r, out]
        // V's B is stored as is; K's B rows are permuted like K itself.
        let projections = Dictionary(uniqueKeysWithValues: adapter.projections.map { ($0.moduleName, $0) })
        let v = try XCTUnwrap(file.tensorInfo(named: "blk.0.attn_v.weight.lora_b"))
        XCTAssertEqual(try file.tensor(v).scalars, projections["model.layers.0.self_attn.v_proj"]?.b.scalars)
        let k = try file.tensor(b).scalars
        let original = try XCTUnwrap(projections["model.layers.0.self_attn.k_proj"]?.b.scalars)
        XCTAssertNotEqual(k, original)
        XCTAssertEqual(k.sorted(), original.sorted())
    }

    /// A model loaded from a Q8_0 GGUF remembers its types: exporting it back unchanged
    /// reproduces its blocks, and with an adapter merged the report counts the changed blocks.
    func testExportingBackToTheBaseQuantizationReportsTheChange() throws {
        let (source, network) = try tiny("llama")
        let folder = try LoRATestSupport.scratchFolder()
        let q8 = folder.appendingPathComponent("base-q8_0.gguf")
        try GGUFModelExport.write(MergedModel(source: source, network: network), to: q8, as: .uniform(.q8_0))

        let base = try ModelSource.open(q8.path)
        let quantized = try base.network()
        let unchanged = try XCTUnwrap(try GGUFModelExport.write(MergedModel(source: base, network: quantized),
                                                                to: folder.appendingPathComponent("same.gguf"), as: .sameAsBase))
        XCTAssertEqual(unchanged.tensorsCompared, 15)   // 7 projections × 2 layers + the embeddings
        XCTAssertEqual(unchanged.blocksChanged, 0, "\(unchanged)")
        XCTAssertEqual(unchanged.maxAbsoluteDelta, 0)

        try quantized.attach(LoRAAdapter.randomized(for: quantized, config: LoRAConfig(rank: 2, alpha: 4, targetModules: ["q_proj"], seed: 9)))
        let merged = try MergedModel(source: base, network: quantized)
        XCTAssertEqual(merged.baseQuantization?.dominantType, .q8_0)
        let change = try XCTUnwrap(try GGUFModelExport.write(merged, to: folder.appendingPathComponent("merged.gguf"), as: .sameAsBase))
        XCTAssertEqual(change.tensorsChanged, 2, "\(change)")   // q_proj of both layers
        XCTAssertGreaterThan(change.fractionOfBlocksChanged, 0)
        XCTAssertLessThan(change.fractionOfBlocksChanged, 0.5)
        XCTAssertGreaterThan(change.maxAbsoluteDelta, 0)
        XCTAssertGreaterThan(change.rmsDelta, 0)
        let written = try GGUFFile(url: folder.appendingPathComponent("merged.gguf"))
        XCTAssertEqual(written.tensorInfo(named: "blk.0.attn_q.weight")?.type, .q8_0)
        XCTAssertEqual(written.tensorInfo(named: "blk.0.attn_norm.weight")?.type, .f32)
        XCTAssertEqual(written.metadata["general.file_type"]?.int, 7)
        XCTAssertEqual(written.metadata["general.quantization_version"]?.int, 2)
    }

    func testImpossibleExportsAreNamedErrors() throws {
        let (source, network) = try tiny("llama")
        let merged = try MergedModel(source: source, network: network)
        let folder = try LoRATestSupport.scratchFolder()
        XCTAssertThrowsError(try GGUFModelExport.write(merged, to: folder.appendingPathComponent("x.gguf"), as: .sameAsBase)) {
            XCTAssertEqual($0 as? ExportError, .noBaseQuantization(model: source.location.reference))
        }
        XCTAssertThrowsError(try GGUFModelExport.write(merged, to: folder.appendingPathComponent("x.gguf"), as: .uniform(.iq2_xs))) {
            guard case .unsupportedType? = $0 as? ExportError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try HuggingFaceExport.write(merged, to: folder.appendingPathComponent("m"), dtype: .float64))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.gguf").path), "no torn file")

        let phi = try tiny("phi3")
        XCTAssertThrowsError(try GGUFModelExport.write(MergedModel(source: phi.0, network: phi.1),
                                                       to: folder.appendingPathComponent("phi.gguf"), as: .uniform(.f16))) {
            guard case .unsupportedArchitecture? = $0 as? ExportError else { return XCTFail("\($0)") }
            XCTAssertTrue("\($0)".contains("phi3"))
        }
    }
}
