// Differentiable rotary position embedding (kernels and tables in Kernels/RoPEKernels.swift).

/// Rotates each head of x [T, heads·headDim] by its row's position (`positions[t]`, so a KV-cache
/// decode passes offset..offset+T−1). The backward rotates the gradient back.
public func rotaryEmbedding(_ x: Tensor, table: RoPETable, positions: [Int], heads: Int,
                            pairing: RoPEPairing = .rotateHalf) -> Tensor {
    let width = x.lastDimension, rows = x.rowCount
    precondition(heads > 0 && width % heads == 0, "rotaryEmbedding: \(width) columns do not split into \(heads) heads")
    precondition(positions.count == rows, "rotaryEmbedding: \(positions.count) positions for \(rows) rows")
    let headDim = width / heads
    let positionIndices = int32Indices(positions, name: "rotaryEmbedding position", limit: table.maxPositions)
    let out = Tensor(zeros: x.shape)
    out.withUnsafeMutableBufferPointer { y in
        x.withUnsafeBufferPointer { input in
            positionIndices.withUnsafeBufferPointer { p in
                ropeForward(out: y, input: input, table: table, positions: p,
                            rows: rows, heads: heads, headDim: headDim, pairing: pairing)
            }
        }
    }
    return Tensor.record(out, inputs: [x]) { outGrad in
        x.withGradient { dInput in
            outGrad.withUnsafeBufferPointer { dOut in
                positionIndices.withUnsafeBufferPointer { p in
                    ropeBackward(dInput: dInput, dOut: dOut, table: table, positions: p,
                                 rows: rows, heads: heads, headDim: headDim, pairing: pairing)
                }
            }
        }
    }
}
