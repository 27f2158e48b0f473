// The residual connection of a decoder block as an op that reuses its branch's storage.

/// branch + residual (same shape), written into `branch`'s storage.
///
/// `branch` is consumed: the result shares its storage, so pass only a tensor made for this
/// call that nothing else reads, by an op whose backward does not read its output values (a
/// block's output projection). A plain `residual + branch` would keep both the branch output
/// and the sum alive until the backward pass, which needs neither.
///
/// The backward hands the output gradient to `branch` unchanged (the same tensor: the branch
/// feeds only this op) and adds a copy into the residual's.
public func addingResidual(_ residual: Tensor, into branch: Tensor) -> Tensor {
    precondition(residual.shape == branch.shape,
                 "addingResidual: residual \(residual.shape) and branch \(branch.shape) differ")
    branch.withUnsafeMutableBufferPointer { y in
        residual.withUnsafeBufferPointer { x in addInPlace(y, x) }
    }
    let out = Tensor(shape: branch.shape, storage: branch.storage, offset: branch.offset)
    return Tensor.record(out, inputs: [residual, branch]) { [weak out] outGrad in
        residual.accumulateGradient(outGrad)
        guard branch.requiresGrad else { return }
        if branch.grad == nil && out?.retainsGrad != true { branch.grad = outGrad } else { branch.accumulateGradient(outGrad) }
    }
}
