import Foundation

// Elementwise arithmetic with trailing-dimension broadcasting, scalar arithmetic and unary maps.
//
// Broadcasting: two shapes combine when they are equal, or when the smaller one (ignoring its
// leading 1s) equals the trailing dimensions of the larger, e.g. [T, D] + [D] or [B, T, D] * [T, D].
// A one-element tensor broadcasts against anything. The gradient of the smaller operand sums
// over the repetitions.

/// How two operands line up: output element i reads a[i % aCount] and b[i % bCount].
struct BroadcastPlan {
    let shape: [Int]
    let count: Int
    let aCount: Int
    let bCount: Int

    init(_ a: Tensor, _ b: Tensor) {
        func trimmed(_ shape: [Int]) -> ArraySlice<Int> { shape.drop { $0 == 1 } }
        if a.shape == b.shape || b.count == 1 {
            shape = a.shape
        } else if a.count == 1 {
            shape = b.shape
        } else if a.count >= b.count, a.shape.reversed().starts(with: trimmed(b.shape).reversed()) {
            shape = a.shape
        } else if b.shape.reversed().starts(with: trimmed(a.shape).reversed()) {
            shape = b.shape
        } else {
            preconditionFailure("broadcast: shapes \(a.shape) and \(b.shape) do not share trailing dimensions")
        }
        count = Tensor.elementCount(of: shape)
        aCount = a.count
        bCount = b.count
    }

    /// Calls `body(start, n, aStart, bStart)` for runs of consecutive elements inside `range`
    /// over which both operands advance contiguously.
    @inline(__always)
    func forEachRun(in range: Range<Int>, _ body: (Int, Int, Int, Int) -> Void) {
        let block = Swift.max(1, Swift.min(aCount, bCount))
        var index = range.lowerBound
        while index < range.upperBound {
            let within = index % block
            let length = Swift.min(block - within, range.upperBound - index)
            body(index, length, aCount == count ? index : within, bCount == count ? index : within)
            index += length
        }
    }
}

/// out = f(a, b) elementwise with broadcasting; backward gets (dOut, a, b) → (dA, dB) per element.
@inline(__always)
func broadcastBinary(_ a: Tensor, _ b: Tensor,
                     forward: @escaping (Float, Float) -> Float,
                     derivatives: @escaping (_ g: Float, _ a: Float, _ b: Float) -> (Float, Float)) -> Tensor {
    let plan = BroadcastPlan(a, b)
    let out = Tensor(shape: plan.shape, storage: TensorStorage(uninitializedCount: plan.count))
    a.withUnsafeBufferPointer { x in
        b.withUnsafeBufferPointer { y in
            out.withUnsafeMutableBufferPointer { z in
                Parallel.forEachChunk(count: plan.count) { range in
                    plan.forEachRun(in: range) { start, length, aStart, bStart in
                        for offset in 0..<length { z[start + offset] = forward(x[aStart + offset], y[bStart + offset]) }
                    }
                }
            }
        }
    }
    return Tensor.record(out, inputs: [a, b]) { outGrad in
        // Serial when an operand repeats, so its sums have one fixed order and no races. When a and
        // b are the same tensor both pointers alias one buffer; each element is still touched by
        // one thread only.
        let parallelSafe = plan.aCount == plan.count && plan.bCount == plan.count
        let dA = a.requiresGrad ? a.existingOrNewGradient() : nil
        let dB = b.requiresGrad ? b.existingOrNewGradient() : nil
        let da = dA.map { $0.storage.buffer.baseAddress! + $0.offset }
        let db = dB.map { $0.storage.buffer.baseAddress! + $0.offset }
        outGrad.withUnsafeBufferPointer { g in
            a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    let run = { (range: Range<Int>) in
                        plan.forEachRun(in: range) { start, length, aStart, bStart in
                            for offset in 0..<length {
                                let (ga, gb) = derivatives(g[start + offset], x[aStart + offset], y[bStart + offset])
                                da?[aStart + offset] += ga
                                db?[bStart + offset] += gb
                            }
                        }
                    }
                    if parallelSafe { Parallel.forEachChunk(count: plan.count, body: run) } else { run(0..<plan.count) }
                }
            }
        }
        // Keep the gradient tensors alive until the pointers above are no longer used.
        withExtendedLifetime((dA, dB)) {}
    }
}

/// out = f(x) elementwise; backward multiplies dOut by f′ given (x, f(x)).
@inline(__always)
func unaryMap(_ x: Tensor, forward: @escaping (Float) -> Float,
              derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
    let out = Tensor(shape: x.shape, storage: TensorStorage(uninitializedCount: x.count))
    x.withUnsafeBufferPointer { input in
        out.withUnsafeMutableBufferPointer { output in
            Parallel.forEachChunk(count: x.count) { range in
                for index in range { output[index] = forward(input[index]) }
            }
        }
    }
    let saved = out.detach()
    return Tensor.record(out, inputs: [x]) { outGrad in
        x.withGradient { dx in
            x.withUnsafeBufferPointer { input in
                saved.withUnsafeBufferPointer { output in
                    outGrad.withUnsafeBufferPointer { g in
                        Parallel.forEachChunk(count: input.count) { range in
                            for index in range { dx[index] += g[index] * derivative(input[index], output[index]) }
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// Elementwise sum with trailing-dimension broadcasting.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        broadcastBinary(lhs, rhs, forward: { $0 + $1 }, derivatives: { g, _, _ in (g, g) })
    }

    /// Elementwise difference with trailing-dimension broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        broadcastBinary(lhs, rhs, forward: { $0 - $1 }, derivatives: { g, _, _ in (g, -g) })
    }

    /// Elementwise product with trailing-dimension broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        broadcastBinary(lhs, rhs, forward: { $0 * $1 }, derivatives: { g, a, b in (g * b, g * a) })
    }

    /// Elementwise quotient with trailing-dimension broadcasting.
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        broadcastBinary(lhs, rhs, forward: { $0 / $1 }, derivatives: { g, a, b in (g / b, -g * a / (b * b)) })
    }

    /// Adds a constant to every scalar.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor {
        unaryMap(lhs, forward: { $0 + rhs }, derivative: { _, _ in 1 })
    }

    /// Adds a constant to every scalar.
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs + lhs }

    /// Subtracts a constant from every scalar.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs + (-rhs) }

    /// Subtracts every scalar from a constant.
    public static func - (lhs: Float, rhs: Tensor) -> Tensor {
        unaryMap(rhs, forward: { lhs - $0 }, derivative: { _, _ in -1 })
    }

    /// Multiplies every scalar by a constant.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor {
        unaryMap(lhs, forward: { $0 * rhs }, derivative: { _, _ in rhs })
    }

    /// Multiplies every scalar by a constant.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }

    /// Divides every scalar by a constant.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs * (1 / rhs) }

    /// Divides a constant by every scalar.
    public static func / (lhs: Float, rhs: Tensor) -> Tensor {
        unaryMap(rhs, forward: { lhs / $0 }, derivative: { x, _ in -lhs / (x * x) })
    }

    /// The elementwise negation.
    public static prefix func - (operand: Tensor) -> Tensor { operand.negated() }

    /// −x elementwise.
    public func negated() -> Tensor {
        unaryMap(self, forward: { -$0 }, derivative: { _, _ in -1 })
    }

    /// eˣ elementwise.
    public func exponential() -> Tensor {
        unaryMap(self, forward: { Foundation.exp($0) }, derivative: { _, y in y })
    }

    /// The natural logarithm elementwise.
    public func logarithm() -> Tensor {
        unaryMap(self, forward: { Foundation.log($0) }, derivative: { x, _ in 1 / x })
    }

    /// √x elementwise.
    public func squareRoot() -> Tensor {
        unaryMap(self, forward: { $0.squareRoot() }, derivative: { _, y in 0.5 / y })
    }

    /// x² elementwise.
    public func squared() -> Tensor {
        unaryMap(self, forward: { $0 * $0 }, derivative: { x, _ in 2 * x })
    }

    /// 1/x elementwise.
    public func reciprocal() -> Tensor {
        unaryMap(self, forward: { 1 / $0 }, derivative: { _, y in -y * y })
    }

    /// |x| elementwise (gradient 0 at 0).
    public func magnitude() -> Tensor {
        unaryMap(self, forward: { Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
    }

    /// xᵖ elementwise for a constant exponent.
    public func raised(toPower exponent: Float) -> Tensor {
        unaryMap(self, forward: { Foundation.pow($0, exponent) },
                 derivative: { x, _ in exponent * Foundation.pow(x, exponent - 1) })
    }

    /// Each scalar limited to `range` (gradient passes only where the input was inside it).
    public func clamped(to range: ClosedRange<Float>) -> Tensor {
        unaryMap(self, forward: { Swift.min(Swift.max($0, range.lowerBound), range.upperBound) },
                 derivative: { x, _ in range.contains(x) ? 1 : 0 })
    }
}
