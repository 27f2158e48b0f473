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

/// The LoRA factors of one projection: A [rank, in], B [out, rank] and the scale.
public struct LowRankFactors {
    public var a: Tensor
    public var b: Tensor
    public var scale: Float

    public init(a: Tensor, b: Tensor, scale: Float) {
        self.a = a
        self.b = b
        self.scale = scale
    }
}

/// `addingLowRankUpdate(into: products[i], input: input, …factors[i])` for projections that
/// read the same input (q, k and v; gate and up), each written into its product's storage.
///
/// Over a few rows (at most `lowRankDirectRowLimit`, decode steps) with nothing recorded, all
/// updates share one pass over the input, spread over the decode workers, with no allocation
/// but the results' headers: each product is returned itself, updated. Otherwise (training,
/// long prefills, ranks that differ) each update is the single op.
public func addingLowRankUpdates(into products: [Tensor], input: Tensor, factors: [LowRankFactors]) -> [Tensor] {
    precondition(products.count == factors.count,
                 "addingLowRankUpdates: \(products.count) products for \(factors.count) factor pairs")
    let rows = input.rowCount, inFeatures = input.lastDimension
    let rank = factors.first?.a.shape[0] ?? 0
    let grouped = rows > 0 && rank > 0 && rows <= lowRankDirectRowLimit && factors.allSatisfy { $0.a.shape[0] == rank }
        && !Tensor.isRecording([input] + products + factors.flatMap { [$0.a, $0.b] })
    guard grouped else {
        return zip(products, factors).map { addingLowRankUpdate(into: $0, input: input, a: $1.a, b: $1.b, scale: $1.scale) }
    }
    for (product, pair) in zip(products, factors) {
        precondition(pair.a.rank == 2 && pair.a.shape[1] == inFeatures && pair.b.rank == 2 && pair.b.shape[1] == rank,
                     "addingLowRankUpdates: A \(pair.a.shape) and B \(pair.b.shape) do not fit inputs of shape \(input.shape)")
        precondition(product.lastDimension == pair.b.shape[0] && product.rowCount == rows,
                     "addingLowRankUpdates: product \(product.shape) is not [\(rows), \(pair.b.shape[0])]")
    }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, factors.count * rows * rank)) { projected in
        input.withUnsafeBufferPointer { x in
            // A storage's buffer is valid while the storage lives (held by `products` and
            // `factors` through the call).
            func start(_ tensor: Tensor) -> UnsafeMutablePointer<Float> { tensor.storage.buffer.baseAddress! + tensor.offset }
            let targets = zip(products, factors).enumerated().map { index, entry in
                LowRankUpdateTarget(out: start(entry.0), projected: projected.baseAddress! + index * rows * rank,
                                    a: start(entry.1.a), b: start(entry.1.b), outFeatures: entry.1.b.shape[0],
                                    scale: entry.1.scale)
            }
            withExtendedLifetime((products, factors)) {
                lowRankUpdateRows(targets, input: x.baseAddress!, rows: rows, inFeatures: inFeatures, rank: rank)
            }
        }
    }
    return products
}
