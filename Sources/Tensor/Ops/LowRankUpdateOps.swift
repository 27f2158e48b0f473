// The LoRA update of a frozen projection as one differentiable op (kernels in
// Kernels/LowRankUpdateKernels.swift).

/// product + scale·(input·Aᵀ)·Bᵀ for product [rows, out] (the frozen base's x·Wᵀ), input
/// [rows, in], A [rank, in] and B [out, rank], written into `product`'s own storage.
///
/// `product` is consumed: the result shares its storage, so pass only a tensor made for this
/// call that nothing else reads, by an op whose backward does not read its output values (a
/// matrix product's backward reads its input and weight, never its output). That saves the
/// separate sum and delta tensors an addition would keep for the backward pass: the op keeps
/// only input·Aᵀ ([rows, rank]) and a reference to `input`.
///
/// The backward hands the output gradient to `product` unchanged (the same tensor, not a copy)
/// and accumulates dA, dB and d input (each only when it requires grad).
public func addingLowRankUpdate(into product: Tensor, input: Tensor, a: Tensor, b: Tensor, scale: Float) -> Tensor {
    let rank = a.shape[0], inFeatures = input.lastDimension, rows = input.rowCount
    precondition(a.rank == 2 && a.shape[1] == inFeatures && b.rank == 2 && b.shape[1] == rank,
                 "addingLowRankUpdate: A \(a.shape) and B \(b.shape) do not fit inputs of shape \(input.shape)")
    let outFeatures = b.shape[0]
    precondition(product.lastDimension == outFeatures && product.rowCount == rows,
                 "addingLowRankUpdate: product \(product.shape) is not [\(rows), \(outFeatures)]")
    let projected = Tensor(shape: [rows, rank], storage: TensorStorage(uninitializedCount: rows * rank))
    projected.withUnsafeMutableBufferPointer { xa in
        withBuffers(input, a) { x, aValues in
            b.withUnsafeBufferPointer { bValues in
                product.withUnsafeMutableBufferPointer { y in
                    lowRankUpdateForward(out: y, projected: xa, input: x, a: aValues, b: bValues, scale: scale,
                                         rows: rows, inFeatures: inFeatures, outFeatures: outFeatures, rank: rank)
                }
            }
        }
    }
    let out = Tensor(shape: product.shape, storage: product.storage, offset: product.offset)
    let savedProjection = projected.detach()
    return Tensor.record(out, inputs: [product, input, a, b]) { [weak out] outGrad in
        if product.requiresGrad {
            // The product feeds only this op, so its gradient is this op's output gradient: hand
            // that tensor over (nothing adds to it any more unless the output retains its
            // gradient) instead of copying it.
            if product.grad == nil && out?.retainsGrad != true { product.grad = outGrad } else { product.accumulateGradient(outGrad) }
        }
        guard input.requiresGrad || a.requiresGrad || b.requiresGrad else { return }
        outGrad.withUnsafeBufferPointer { dOut in
            withBuffers(input, a) { x, aValues in
                withBuffers(b, savedProjection) { bValues, xa in
                    withOptionalGradient(input) { dInput in
                        withOptionalGradient(a) { dA in
                            withOptionalGradient(b) { dB in
                                lowRankUpdateBackward(dInput: dInput, dA: dA, dB: dB, dOut: dOut, projected: xa,
                                                      input: x, a: aValues, b: bValues, scale: scale, rows: rows,
                                                      inFeatures: inFeatures, outFeatures: outFeatures, rank: rank)
                            }
                        }
                    }
                }
            }
        }
    }
}
