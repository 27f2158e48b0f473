import Tensor

/// A weight matrix held twice: as Float32 for products over many rows (prefill, scoring and
/// training: one sgemm, gradients) and as the checkpoint's quantized blocks for products over a
/// few rows without gradients (decode steps), which are bound by how many bytes of weights they
/// read: Q4_1 is 5 bits a value instead of 32. The two differ only in the order of their sums.
public final class QuantizedWeight: WeightMatrix {
    /// The Float32 values; gradients flow to it when `dense.requiresGrad`.
    public let dense: Tensor
    /// The same values as ggml blocks.
    public let blocks: QuantizedMatrix

    /// Products over at most this many rows read the blocks (BENCHMARKS.md, "generation": up to
    /// here the quantized kernel beats sgemm on the default model's shapes).
    public static let quantizedRowLimit = 8

    public init(dense: Tensor, blocks: QuantizedMatrix) {
        precondition(dense.shape == blocks.shape,
                     "QuantizedWeight: Float32 shape \(dense.shape) differs from the blocks' \(blocks.shape)")
        self.dense = dense
        self.blocks = blocks
    }

    public var outFeatures: Int { blocks.rows }
    public var inFeatures: Int { blocks.columns }

    public func multiply(_ x: Tensor) -> Tensor {
        let rows = x.count / max(inFeatures, 1)
        if rows <= QuantizedWeight.quantizedRowLimit && !Tensor.isRecording([x, dense]) {
            return quantizedLinear(x, weight: blocks)
        }
        return linear(x, weight: dense)
    }
}
