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

// MARK: - Vector forms (SiLU and GELU-tanh through the vectorised exp; erf GELU per lane)

extension Activation {
    /// (f, f′) on 16 lanes, the same values `value` and `derivative` give; SiLU computes its
    /// exponential once for both.
    @inline(__always)
    func valueAndDerivative(_ x: SIMD16<Float>) -> (value: SIMD16<Float>, derivative: SIMD16<Float>) {
        guard self == .silu else { return (value(x), derivative(x)) }
        let denominator = 1 + KernelMath.exp(-x)
        let sigmoid = 1 / denominator
        return (x / denominator, sigmoid * (1 + x * (1 - sigmoid)))
    }
}

extension Activation {
    /// f on 16 lanes.
    @inline(__always)
    func value(_ x: SIMD16<Float>) -> SIMD16<Float> {
        switch self {
        case .silu:
            return x / (1 + KernelMath.exp(-x))
        case .geluTanh:
            // 0.5·x·(1 + tanh u) = x·(1 − 1/(e^{2u} + 1)).
            let u = 0.7978845608028654 * (x + 0.044715 * x * x * x)
            return x - x / (KernelMath.exp(2 * u) + 1)
        case .gelu:
            var out = x
            for lane in 0..<16 { out[lane] = value(x[lane]) }
            return out
        }
    }

    /// f′ on 16 lanes.
    @inline(__always)
    func derivative(_ x: SIMD16<Float>) -> SIMD16<Float> {
        switch self {
        case .silu:
            let sigmoid = 1 / (1 + KernelMath.exp(-x))
            return sigmoid * (1 + x * (1 - sigmoid))
        case .geluTanh:
            let u = 0.7978845608028654 * (x + 0.044715 * x * x * x)
            let t = 1 - 2 / (KernelMath.exp(2 * u) + 1)
            let du = 0.7978845608028654 * (1 + 3 * 0.044715 * x * x)
            return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du
        case .gelu:
            var out = x
            for lane in 0..<16 { out[lane] = derivative(x[lane]) }
            return out
        }
    }
}

/// Runs `body(first, lanes)` over `range` 16 floats at a time; the last step may have fewer lanes.
@inline(__always)
private func forEachVector(in range: Range<Int>, _ body: (Int, Int) -> Void) {
    var i = range.lowerBound
    while i < range.upperBound {
        body(i, min(16, range.upperBound - i))
        i += 16
    }
}

/// Loads `lanes` floats from `base + first` (zeros beyond).
@inline(__always)
private func load(_ base: UnsafePointer<Float>, _ first: Int, _ lanes: Int) -> SIMD16<Float> {
    if lanes == 16 { return UnsafeRawPointer(base + first).loadUnaligned(as: SIMD16<Float>.self) }
    var v = SIMD16<Float>(repeating: 0)
    for lane in 0..<lanes { v[lane] = base[first + lane] }
    return v
}

/// Stores the first `lanes` lanes of `v` at `base + first`.
@inline(__always)
private func store(_ v: SIMD16<Float>, _ base: UnsafeMutablePointer<Float>, _ first: Int, _ lanes: Int) {
    if lanes == 16 {
        UnsafeMutableRawPointer(base + first).storeBytes(of: v, as: SIMD16<Float>.self)
    } else {
        for lane in 0..<lanes { base[first + lane] = v[lane] }
    }
}

/// out[i] = f(input[i]) over `count` floats.
public func activationForward(
    out: UnsafeMutableBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
    count: Int, activation: Activation
) {
    precondition(out.count >= count && input.count >= count, "activationForward: buffers too small")
    guard count > 0 else { return }
    let x = input.baseAddress!, y = out.baseAddress!
    KernelMath.forEachChunk(of: count, costPerItem: 8) { range in
        forEachVector(in: range) { i, lanes in store(activation.value(load(x, i, lanes)), y, i, lanes) }
    }
}

/// dInput[i] += dOut[i]·f′(input[i]).
public func activationBackward(
    dInput: UnsafeMutableBufferPointer<Float>, dOut: UnsafeBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>, count: Int, activation: Activation
) {
    precondition(dInput.count >= count && dOut.count >= count && input.count >= count,
                 "activationBackward: buffers too small")
    guard count > 0 else { return }
    let x = input.baseAddress!, dy = dOut.baseAddress!, dx = dInput.baseAddress!
    KernelMath.forEachChunk(of: count, costPerItem: 8) { range in
        forEachVector(in: range) { i, lanes in
            let grad = load(dx, i, lanes) + load(dy, i, lanes) * activation.derivative(load(x, i, lanes))
            store(grad, dx, i, lanes)
        }
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
    guard count > 0 else { return }
    let g = gate.baseAddress!, u = up.baseAddress!, y = out.baseAddress!
    KernelMath.forEachChunk(of: count, costPerItem: 8) { range in
        forEachVector(in: range) { i, lanes in
            store(activation.value(load(g, i, lanes)) * load(u, i, lanes), y, i, lanes)
        }
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
    guard count > 0 else { return }
    let g = gate.baseAddress!, u = up.baseAddress!, dy = dOut.baseAddress!
    KernelMath.forEachChunk(of: count, costPerItem: 8) { range in
        forEachVector(in: range) { i, lanes in
            let gateValues = load(g, i, lanes), upstream = load(dy, i, lanes)
            if let dGate, let dUp {
                let (value, derivative) = activation.valueAndDerivative(gateValues)
                let grad = upstream * load(u, i, lanes) * derivative
                store(load(dGate.baseAddress!, i, lanes) + grad, dGate.baseAddress!, i, lanes)
                store(load(dUp.baseAddress!, i, lanes) + upstream * value, dUp.baseAddress!, i, lanes)
                return
            }
            if let dGate {
                let grad = upstream * load(u, i, lanes) * activation.derivative(gateValues)
                store(load(dGate.baseAddress!, i, lanes) + grad, dGate.baseAddress!, i, lanes)
            }
            if let dUp {
                store(load(dUp.baseAddress!, i, lanes) + upstream * activation.value(gateValues),
                      dUp.baseAddress!, i, lanes)
            }
        }
    }
}
