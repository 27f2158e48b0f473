import Foundation

// Pointwise activations and the gated MLP activation (SwiGLU / GeGLU), each with its
// derivative beside it. Backward accumulates (+=).

/// A pointwise nonlinearity.
public enum Activation: Sendable, Equatable {
    /// x·σ(x) (Llama, Qwen, Phi, SmolLM2).
    case silu
    /// 0.5·x·(1 + erf(x/√2)), the exact GELU (BERT, MiniLM).
    case gelu
    /// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), GELU's tanh form (Gemma's gelu_pytorch_tanh).
    case geluTanh

    /// f(x).
    @inline(__always)
    public func value(_ x: Float) -> Float {
        switch self {
        case .silu:
            return x / (1 + Foundation.exp(-x))
        case .gelu:
            return 0.5 * x * (1 + Foundation.erf(x * 0.70710678118654752))
        case .geluTanh:
            let u = 0.7978845608028654 * (x + 0.044715 * x * x * x)
            return 0.5 * x * (1 + Foundation.tanh(u))
        }
    }

    /// f′(x).
    @inline(__always)
    public func derivative(_ x: Float) -> Float {
        switch self {
        case .silu:
            let sigmoid = 1 / (1 + Foundation.exp(-x))
            return sigmoid * (1 + x * (1 - sigmoid))
        case .gelu:
            let cdf = 0.5 * (1 + Foundation.erf(x * 0.70710678118654752))
            let pdf = 0.3989422804014327 * Foundation.exp(-0.5 * x * x)
            return cdf + x * pdf
        case .geluTanh:
            let u = 0.7978845608028654 * (x + 0.044715 * x * x * x)
            let t = Foundation.tanh(u)
            let du = 0.7978845608028654 * (1 + 3 * 0.044715 * x * x)
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du
        }
    }
}

/// out[i] = f(input[i]) over `count` floats.
public func activationForward(
    out: UnsafeMutableBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
    count: Int, activation: Activation
) {
    precondition(out.count >= count && input.count >= count, "activationForward: buffers too small")
    KernelMath.forEachChunk(of: count, costPerItem: 8) { range in
        for i in range { out[i] = activation.value(input[i]) }
    }
}

/// dInput[i] += dOut[i]·f′(input[i]).
public func activationBackward(
    dInput: UnsafeMutableBufferPointer<Float>, dOut: UnsafeBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>, count: Int, activation: Activation
) {
    precondition(dInput.count >= count && dOut.count >= count && input.count >= count,
                 "activationBackward: buffers too small")
    KernelMath.forEachChunk(of: count, costPerItem: 8) { range in
        for i in range { dInput[i] += dOut[i] * activation.derivative(input[i]) }
    }
}

/// The gated MLP activation out[i] = f(gate[i])·up[i]; SwiGLU with `.silu`, GeGLU with `.geluTanh`.
public func gatedActivationForward(
    out: UnsafeMutableBufferPointer<Float>,
    gate: UnsafeBufferPointer<Float>, up: UnsafeBufferPointer<Float>,
    count: Int, activation: Activation = .silu
) {
    precondition(out.count >= count && gate.count >= count && up.count >= count,
                 "gatedActivationForward: buffers too small")
    KernelMath.forEachChunk(of: count, costPerItem: 8) { range in
        for i in range { out[i] = activation.value(gate[i]) * up[i] }
    }
}

/// dGate += dOut·up·f′(gate), dUp += dOut·f(gate).
public func gatedActivationBackward(
    dGate: UnsafeMutableBufferPointer<Float>?, dUp: UnsafeMutableBufferPointer<Float>?,
    dOut: UnsafeBufferPointer<Float>,
    gate: UnsafeBufferPointer<Float>, up: UnsafeBufferPointer<Float>,
    count: Int, activation: Activation = .silu
) {
    precondition(dOut.count >= count && gate.count >= count && up.count >= count,
                 "gatedActivationBackward: buffers too small")
    KernelMath.forEachChunk(of: count, costPerItem: 8) { range in
        for i in range {
            if let dGate { dGate[i] += dOut[i] * up[i] * activation.derivative(gate[i]) }
            if let dUp { dUp[i] += dOut[i] * activation.value(gate[i]) }
        }
    }
}
