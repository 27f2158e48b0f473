// x·Wᵀ over many rows with W kept only as ggml blocks: each product dequantizes a tile of W
// into a per-worker scratch buffer and hands it to sgemm, so no Float32 copy of W exists.

/// x·Wᵀ over the last dimension, x [..., columns] → [..., rows], with the same sums as
/// `linear(x, weight: W.dequantized())`: the forward tiles W along its rows (output features)
/// and the backward along its columns, so every output is still one sgemm dot product over the
/// whole shared dimension. Differentiable with respect to x only (a quantized base is frozen).
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

/// Tile sizes of the dequantizing products.
public enum DequantizingTiles {
    /// Output features (rows of W) dequantized at a time in the forward product: about
    /// `scratchFloats` floats, at least 16 rows.
    public static func forwardRows(columns: Int) -> Int {
        max(16, scratchFloats / max(columns, 1))
    }

    /// Columns of W dequantized at a time for the input gradient: whole blocks, about
    /// `scratchFloats` floats over all of W's rows, at least one block.
    public static func backwardColumns(_ weight: QuantizedMatrix) -> Int {
        let blockSize = weight.type.blockSize
        let blocks = max(1, scratchFloats / max(weight.rows * blockSize, 1))
        return min(weight.columns, blocks * blockSize)
    }

    /// Floats of one worker's scratch tile (256 KiB: a 128-row tile of a 576-wide matrix).
    public static let scratchFloats = 65_536
}

/// out[rows, W.rows] = input[rows, W.columns] · Wᵀ, a tile of W's rows at a time; tiles are
/// spread over the cores, each worker dequantizing into its own scratch buffer.
func dequantizingLinearForward(out: UnsafeMutableBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
                               weight: QuantizedMatrix, rows: Int) {
    let outFeatures = weight.rows, inFeatures = weight.columns
    precondition(out.count >= rows * outFeatures && input.count >= rows * inFeatures,
                 "dequantizingLinearForward: buffers smaller than the shapes")
    guard rows > 0 else { return }
    let tileRows = min(outFeatures, DequantizingTiles.forwardRows(columns: inFeatures))
    let tiles = (outFeatures + tileRows - 1) / tileRows
    let x = input.baseAddress!, y = out.baseAddress!
    KernelMath.forEachHead(tiles, scratchCount: tileRows * inFeatures) { tile, scratch in
        let features = (tile * tileRows)..<min(outFeatures, (tile + 1) * tileRows)
        weight.dequantizeRows(features, into: scratch)
        KernelMath.gemm(transposeA: false, transposeB: true, m: rows, n: features.count, k: inFeatures,
                        a: x, lda: inFeatures, b: scratch, ldb: inFeatures,
                        beta: 0, c: y + features.lowerBound, ldc: outFeatures)
    }
}

/// dInput[rows, W.columns] += dOut[rows, W.rows] · W, a slab of W's columns at a time (the sum
/// over W's rows stays one product).
func dequantizingLinearInputGradient(dInput: UnsafeMutableBufferPointer<Float>, dOut: UnsafeBufferPointer<Float>,
                                     weight: QuantizedMatrix, rows: Int) {
    let outFeatures = weight.rows, inFeatures = weight.columns
    precondition(dInput.count >= rows * inFeatures && dOut.count >= rows * outFeatures,
                 "dequantizingLinearInputGradient: buffers smaller than the shapes")
    guard rows > 0 else { return }
    let slabColumns = DequantizingTiles.backwardColumns(weight)
    let slabs = (inFeatures + slabColumns - 1) / slabColumns
    let dY = dOut.baseAddress!, dX = dInput.baseAddress!
    KernelMath.forEachHead(slabs, scratchCount: outFeatures * slabColumns) { slab, scratch in
        let columns = (slab * slabColumns)..<min(inFeatures, (slab + 1) * slabColumns)
        weight.dequantizeColumns(columns, into: scratch, stride: columns.count)
        KernelMath.gemm(transposeA: false, transposeB: false, m: rows, n: columns.count, k: outFeatures,
                        a: dY, lda: outFeatures, b: scratch, ldb: columns.count,
                        beta: 1, c: dX + columns.lowerBound, ldc: inFeatures)
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
