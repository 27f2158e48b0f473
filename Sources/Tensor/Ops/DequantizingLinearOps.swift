// x·Wᵀ over many rows with W kept as ggml blocks. On AVX-512 CPUs, for the 32-value block types
// (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0), the product kernel dequantizes W's blocks straight into its packed panels. Otherwise each
// product dequantizes the whole of W into a reused scratch matrix (split over the cores) and
// makes one `KernelMath.gemm` product of it, split over the cores by output columns; W's Float32
// values exist only for the duration of one product (at most a few MB for the default model's
// matrices). Both give the same bits.

/// x·Wᵀ over the last dimension, x [..., columns] → [..., rows], with the same sums as
/// `linear(x, weight: W.dequantized())` (the same sgemm over the same values).
/// Differentiable with respect to x only (a quantized base is frozen).
///
/// For products over many rows (prefill, scoring, training); `quantizedLinear` is faster for a
/// few rows (decode steps), at the price of rounding x to 8 bits.
public func linear(_ x: Tensor, dequantizing weight: QuantizedMatrix) -> Tensor {
    precondition(weight.columns == x.lastDimension,
                 "linear(dequantizing:): weight \(weight.shape) does not take inputs of shape \(x.shape)")
    let rows = x.rowCount
    let out = Tensor(shape: x.shapeReplacingLast(with: weight.rows),
                     storage: TensorStorage(uninitializedCount: rows * weight.rows))
    out.withUnsafeMutableBufferPointer { y in
        x.withUnsafeBufferPointer { input in
            dequantizingLinearForward(out: y, input: input, weight: weight, rows: rows)
        }
    }
    return Tensor.record(out, inputs: [x]) { outGrad in
        x.withGradient { dInput in
            outGrad.withUnsafeBufferPointer { dOut in
                dequantizingLinearInputGradient(dInput: dInput, dOut: dOut, weight: weight, rows: rows)
            }
        }
    }
}

/// out[rows, W.rows] = input[rows, W.columns] · Wᵀ.
func dequantizingLinearForward(out: UnsafeMutableBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
                               weight: QuantizedMatrix, rows: Int) {
    let outFeatures = weight.rows, inFeatures = weight.columns
    precondition(out.count >= rows * outFeatures && input.count >= rows * inFeatures,
                 "dequantizingLinearForward: buffers smaller than the shapes")
    guard rows > 0 else { return }
    guard !KernelMath.multipliesBlocks(of: weight.type, rows: rows) else {
        return KernelMath.gemm(transposeA: false, m: rows, a: input.baseAddress!, lda: inFeatures, weight: weight,
                               transposeB: true, beta: 0, c: out.baseAddress!, ldc: outFeatures)
    }
    DequantizedMatrixScratch.withValues(of: weight) { w in
        KernelMath.gemm(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                        a: input.baseAddress!, lda: inFeatures, b: w, ldb: inFeatures,
                        beta: 0, c: out.baseAddress!, ldc: outFeatures)
    }
}

/// dInput[rows, W.columns] += dOut[rows, W.rows] · W.
func dequantizingLinearInputGradient(dInput: UnsafeMutableBufferPointer<Float>, dOut: UnsafeBufferPointer<Float>,
                                     weight: QuantizedMatrix, rows: Int) {
    let outFeatures = weight.rows, inFeatures = weight.columns
    precondition(dInput.count >= rows * inFeatures && dOut.count >= rows * outFeatures,
                 "dequantizingLinearInputGradient: buffers smaller than the shapes")
    guard rows > 0 else { return }
    guard !KernelMath.multipliesBlocks(of: weight.type, rows: rows) else {
        return KernelMath.gemm(transposeA: false, m: rows, a: dOut.baseAddress!, lda: outFeatures, weight: weight,
                               transposeB: false, beta: 1, c: dInput.baseAddress!, ldc: inFeatures)
    }
    DequantizedMatrixScratch.withValues(of: weight) { w in
        KernelMath.gemm(transposeA: false, transposeB: false, m: rows, n: inFeatures, k: outFeatures,
                        a: dOut.baseAddress!, lda: outFeatures, b: w, ldb: inFeatures,
                        beta: 1, c: dInput.baseAddress!, ldc: inFeatures)
    }
}

/// Rows of a quantized `table` [vocabulary, dim] for each id, dequantized: [ids.count, dim].
/// Records nothing (a quantized table is frozen).
public func embedding(_ ids: [Int], table: QuantizedMatrix) -> Tensor {
    let indices = int32Indices(ids, name: "embedding id", limit: table.rows)
    let dim = table.columns
    let out = Tensor(shape: [ids.count, dim], storage: TensorStorage(uninitializedCount: ids.count * dim))
    out.withUnsafeMutableBufferPointer { y in
        for (row, id) in indices.enumerated() {
            table.dequantizeRows(Int(id)..<(Int(id) + 1), into: y.baseAddress! + row * dim)
        }
    }
    return out
}
