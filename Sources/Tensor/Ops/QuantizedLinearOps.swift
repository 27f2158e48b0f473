// The linear product with quantized weights (kernel in Kernels/QuantizedLinearKernels.swift).

/// x·Wᵀ over the last dimension with W kept quantized: x [..., columns] → [..., rows].
///
/// Not differentiable: records nothing. Callers use it where no gradient is wanted (decoding
/// under `Autograd.noGrad`) and the Float32 weights elsewhere; the results differ by the 8-bit
/// rounding of x (see `quantizedLinearForward`) and the order of the sums.
public func quantizedLinear(_ x: Tensor, weight: QuantizedMatrix,
                            instructionSet: QuantizedInstructionSet = .current) -> Tensor {
    precondition(weight.columns == x.lastDimension,
                 "quantizedLinear: weight \(weight.shape) does not take inputs of shape \(x.shape)")
    let rows = x.rowCount
    let out = Tensor(shape: x.shapeReplacingLast(with: weight.rows),
                     storage: TensorStorage(uninitializedCount: rows * weight.rows))
    let interleaved = instructionSet == .avx512VNNI ? weight.interleavedCopy : nil
    out.withUnsafeMutableBufferPointer { y in
        x.withUnsafeBufferPointer { input in
            quantizedLinearForward(out: y, input: input, weight: weight.bytes, type: weight.type,
                                   rows: rows, inFeatures: weight.columns, outFeatures: weight.rows,
                                   instructionSet: instructionSet,
                                   interleaved: interleaved.map { UnsafeRawPointer($0.bytes.baseAddress!) })
        }
    }
    withExtendedLifetime(interleaved) {}
    return out
}
