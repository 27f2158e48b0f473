import Foundation
import Tensor

/// A frozen weight matrix kept only as the checkpoint's quantized blocks (Q4_1 is 5 bits a value
/// instead of 32). Products over a few rows without gradients, and generation's prefills and decode
/// steps (`decodingSteps`), use the integer block kernels (`quantizedLinear`); other products over
/// many rows (scoring, the trainer's passes) and every product inside
/// `exactProducts` dequantize a tile of rows at a time for sgemm (`linear(_:dequantizing:)`),
/// with the sums of one sgemm over the Float32 values. Gradients flow to the input only.
public final class QuantizedWeight: WeightMatrix {
    /// The blocks: the only copy of the values.
    public let blocks: QuantizedMatrix

    /// Products over at most this many rows read the blocks: every decode step of `bench generate`
    /// (batches of 1 and 8) ran faster that way than through sgemv/sgemm (BENCHMARKS.md, "generation").
    /// `SWIFT_GRPO_QUANTIZED_ROW_LIMIT` overrides it (for measuring).
    public static let quantizedRowLimit: Int =
        ProcessInfo.processInfo.environment["SWIFT_GRPO_QUANTIZED_ROW_LIMIT"].flatMap { Int($0) } ?? 8

    public init(blocks: QuantizedMatrix) {
        self.blocks = blocks
    }

    public var outFeatures: Int { blocks.rows }
    public var inFeatures: Int { blocks.columns }

    /// The Float32 values [outFeatures, inFeatures], dequantized into a new tensor (for export
    /// and merging; products never need them).
    public func dequantized() -> Tensor { blocks.dequantized() }

    /// Uses the integer block kernels for a few rows (or any number inside `decodingSteps`) when
    /// no gradient is recorded; the dequantizing sgemm otherwise.
    public func multiply(_ x: Tensor) -> Tensor {
        let rows = x.count / max(inFeatures, 1)
        if (rows <= QuantizedWeight.quantizedRowLimit || QuantizedWeight.isDecoding)
            && !QuantizedWeight.isExact && !Tensor.isRecording([x]) {
            return quantizedLinear(x, weight: blocks)
        }
        return linear(x, dequantizing: blocks)
    }

    /// Runs `body` (decode steps of generation: one new row per sequence) with every product
    /// reading the blocks whatever its row count, so a sequence's numbers do not depend on how
    /// many others share its batch. Per thread; scopes nest.
    ///
    /// Generation's prefill runs inside it too (`TextGenerator.prefill`): with AVX-512 VNNI the block kernels multiply
    /// 256 rows 2.1× (SmolLM2 Q4_1) and 2.9× (Gemma 3 Q4_K_M) faster than the dequantizing sgemm
    /// (BENCHMARKS.md, "batchdot"), at the price of rounding activations to 8 bits as decode steps do.
    public static func decodingSteps<Result>(_ body: () throws -> Result) rethrows -> Result {
        decodingDepth += 1
        defer { decodingDepth -= 1 }
        return try body()
    }

    /// True inside `decodingSteps` on this thread.
    public static var isDecoding: Bool { decodingDepth > 0 }

    /// Runs `body` with every product on the dequantized Float32 weights, decode steps included: the
    /// numbers of a float32 reference run of the same checkpoint (transformers loading the GGUF),
    /// without the 8-bit rounding of activations the block kernels do. Slower; for parity
    /// checks and exact scoring. Per thread; scopes nest and override `decodingSteps`.
    public static func exactProducts<Result>(_ body: () throws -> Result) rethrows -> Result {
        exactDepth += 1
        defer { exactDepth -= 1 }
        return try body()
    }

    /// True inside `exactProducts` on this thread.
    public static var isExact: Bool { exactDepth > 0 }

    private static let exactKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private static var exactDepth: Int {
        get { Int(bitPattern: pthread_getspecific(exactKey)) }
        set { pthread_setspecific(exactKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    private static let decodingKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private static var decodingDepth: Int {
        get { Int(bitPattern: pthread_getspecific(decodingKey)) }
        set { pthread_setspecific(decodingKey, UnsafeRawPointer(bitPattern: newValue)) }
    }
}
