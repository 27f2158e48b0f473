// Differentiable pointwise activations and the gated MLP activation (Kernels/ActivationKernels.swift).

/// f(x) elementwise.
public func activation(_ x: Tensor, _ function: Activation) -> Tensor {
    // The kernels write every scalar of `out`: no zero-fill.
    let out = Tensor(shape: x.shape, storage: TensorStorage(uninitializedCount: x.count))
    let count = x.count
    out.withUnsafeMutableBufferPointer { y in
        x.withUnsafeBufferPointer { activationForward(out: y, input: $0, count: count, activation: function) }
    }
    return Tensor.record(out, inputs: [x]) { outGrad in
        x.withGradient { dInput in
            withBuffers(outGrad, x) { dOut, input in
                activationBackward(dInput: dInput, dOut: dOut, input: input, count: count, activation: function)
            }
        }
    }
}

/// x·σ(x).
public func silu(_ x: Tensor) -> Tensor { activation(x, .silu) }

/// GELU, exact (erf) form.
public func gelu(_ x: Tensor) -> Tensor { activation(x, .gelu) }

/// GELU, tanh approximation (PyTorch's `approximate="tanh"`).
public func geluTanh(_ x: Tensor) -> Tensor { activation(x, .geluTanh) }

/// f(gate)·up, elementwise over same-shaped tensors (SwiGLU with `.silu`, GeGLU with `.geluTanh`).
public func gatedActivation(gate: Tensor, up: Tensor, _ function: Activation) -> Tensor {
    precondition(gate.shape == up.shape, "gatedActivation: gate \(gate.shape) and up \(up.shape) differ")
    let out = Tensor(shape: gate.shape, storage: TensorStorage(uninitializedCount: gate.count))
    let count = gate.count
    out.withUnsafeMutableBufferPointer { y in
        withBuffers(gate, up) { g, u in gatedActivationForward(out: y, gate: g, up: u, count: count, activation: function) }
    }
    return Tensor.record(out, inputs: [gate, up]) { outGrad in
        outGrad.withUnsafeBufferPointer { dOut in
            withBuffers(gate, up) { g, u in
                withOptionalGradient(gate) { dGate in
                    withOptionalGradient(up) { dUp in
                        gatedActivationBackward(dGate: dGate, dUp: dUp, dOut: dOut, gate: g, up: u,
                                                count: count, activation: function)
                    }
                }
            }
        }
    }
}

/// silu(gate)·up, the Llama MLP's activation.
public func swiglu(gate: Tensor, up: Tensor) -> Tensor { gatedActivation(gate: gate, up: up, .silu) }
