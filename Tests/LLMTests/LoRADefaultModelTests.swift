import Foundation
import LLM
import Tensor
import XCTest

/// The default model (SmolLM2-135M-Instruct, Q4_1 GGUF: quantized blocks for decode steps,
/// Float32 for prefill) with an adapter whose B is zero behaves exactly like the base model.
final class LoRADefaultModelTests: XCTestCase {
    func testZeroBAdapterKeepsLogitsAndDecodeStepsBitIdentical() throws {
        let model = try SmolLM2ParityTests.model()
        let network = model.network
        XCTAssertEqual(network.projections.names.count, 30 * 7)
        let ids = model.tokenizer.encode("The patient presents with fever and a cough.")

        func run() throws -> (prefill: [Float], decode: [Float]) {
            try Autograd.noGrad {
                let cache = network.makeCache(capacity: ids.count + 1)
                let prefill = network.logits(try network.hiddenStates(SequenceBatch(tokens: [ids], caches: [cache])))
                let decode = network.logits(try network.hiddenStates(SequenceBatch(tokens: [[ids[0]]], caches: [cache])))
                return (prefill.scalars, decode.scalars)
            }
        }
        let base = try run()
        let adapter = try LoRAAdapter.initialized(for: network, config: LoRAConfig(rank: 8, alpha: 16, seed: 1))
        XCTAssertEqual(adapter.projections.count, 210)
        try network.attach(adapter)
        defer { network.detachAdapter() }
        let adapted = try run()
        XCTAssertEqual(adapted.prefill, base.prefill, "prefill (Float32 path)")
        XCTAssertEqual(adapted.decode, base.decode, "decode step (quantized blocks)")

        // A non-zero B changes the outputs; disabling it restores the base exactly.
        adapter.projections[0].b.withUnsafeMutableBufferPointer { $0[0] = 0.5 }
        XCTAssertNotEqual(try run().prefill, base.prefill)
        XCTAssertEqual(try network.withAdapterDisabled { try run() }.decode, base.decode)
    }
}
