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

/// A binary elementwise function with its partial derivatives. Ops are small structs so the
/// generic loops below are specialized and inlined per op (no closure call per element).
protocol BinaryElementwise {
    func value(_ a: Float, _ b: Float) -> Float
    /// (∂L/∂a, ∂L/∂b) given ∂L/∂out = g.
    func derivatives(_ g: Float, _ a: Float, _ b: Float) -> (Float, Float)
}

/// A unary elementwise function with its derivative given the input x and the output y.
protocol UnaryElementwise {
    func value(_ x: Float) -> Float
    func derivative(_ x: Float, _ y: Float) -> Float
}

/// out = op(a, b) elementwise with broadcasting, recorded with its backward.
func broadcastBinary<Op: BinaryElementwise>(_ a: Tensor, _ b: Tensor, _ op: Op) -> Tensor {
    let plan = BroadcastPlan(a, b)
    let out = Tensor(shape: plan.shape, storage: TensorStorage(uninitializedCount: plan.count))
    a.withUnsafeBufferPointer { x in
        b.withUnsafeBufferPointer { y in
            out.withUnsafeMutableBufferPointer { z in
                Parallel.forEachChunk(count: plan.count) { range in
                    plan.forEachRun(in: range) { start, length, aStart, bStart in
                        let xs = x.baseAddress! + aStart, ys = y.baseAddress! + bStart, zs = z.baseAddress! + start
                        for offset in 0..<length { zs[offset] = op.value(xs[offset], ys[offset]) }
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
                            let gs = g.baseAddress! + start, xs = x.baseAddress! + aStart, ys = y.baseAddress! + bStart
                            if let da, let db {
                                let das = da + aStart, dbs = db + bStart
                                for offset in 0..<length {
                                    let (ga, gb) = op.derivatives(gs[offset], xs[offset], ys[offset])
                                    das[offset] += ga
                                    dbs[offset] += gb
                                }
                            } else if let da {
                                let das = da + aStart
                                for offset in 0..<length { das[offset] += op.derivatives(gs[offset], xs[offset], ys[offset]).0 }
                            } else if let db {
                                let dbs = db + bStart
                                for offset in 0..<length { dbs[offset] += op.derivatives(gs[offset], xs[offset], ys[offset]).1 }
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

/// out = op(x) elementwise, recorded with its backward.
func unaryMap<Op: UnaryElementwise>(_ x: Tensor, _ op: Op) -> Tensor {
    let out = Tensor(shape: x.shape, storage: TensorStorage(uninitializedCount: x.count))
    x.withUnsafeBufferPointer { input in
        out.withUnsafeMutableBufferPointer { output in
            Parallel.forEachChunk(count: x.count) { range in
                let xs = input.baseAddress!, ys = output.baseAddress!
                for index in range { ys[index] = op.value(xs[index]) }
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
                            for index in range { dx[index] += g[index] * op.derivative(input[index], output[index]) }
                        }
                    }
                }
            }
        }
    }
}

/// The elementwise functions behind the arithmetic operators and unary maps.
enum ElementwiseOp {
    struct Addition: BinaryElementwise {
        func value(_ a: Float, _ b: Float) -> Float { a + b }
        func derivatives(_ g: Float, _ a: Float, _ b: Float) -> (Float, Float) { (g, g) }
    }

    struct Subtraction: BinaryElementwise {
        func value(_ a: Float, _ b: Float) -> Float { a - b }
        func derivatives(_ g: Float, _ a: Float, _ b: Float) -> (Float, Float) { (g, -g) }
    }

    struct Multiplication: BinaryElementwise {
        func value(_ a: Float, _ b: Float) -> Float { a * b }
        func derivatives(_ g: Float, _ a: Float, _ b: Float) -> (Float, Float) { (g * b, g * a) }
    }

    struct Division: BinaryElementwise {
        func value(_ a: Float, _ b: Float) -> Float { a / b }
        func derivatives(_ g: Float, _ a: Float, _ b: Float) -> (Float, Float) { (g / b, -g * a / (b * b)) }
    }

    /// x + c
    struct Offset: UnaryElementwise {
        let constant: Float
        func value(_ x: Float) -> Float { x + constant }
        func derivative(_ x: Float, _ y: Float) -> Float { 1 }
    }

    /// c − x
    struct SubtractedFrom: UnaryElementwise {
        let constant: Float
        func value(_ x: Float) -> Float { constant - x }
        func derivative(_ x: Float, _ y: Float) -> Float { -1 }
    }

    /// c · x
    struct Scale: UnaryElementwise {
        let factor: Float
        func value(_ x: Float) -> Float { x * factor }
        func derivative(_ x: Float, _ y: Float) -> Float { factor }
    }

    /// c / x
    struct DividedInto: UnaryElementwise {
        let constant: Float
        func value(_ x: Float) -> Float { constant / x }
        func derivative(_ x: Float, _ y: Float) -> Float { -constant / (x * x) }
    }

    struct Exponential: UnaryElementwise {
        func value(_ x: Float) -> Float { Foundation.exp(x) }
        func derivative(_ x: Float, _ y: Float) -> Float { y }
    }

    struct Logarithm: UnaryElementwise {
        func value(_ x: Float) -> Float { Foundation.log(x) }
        func derivative(_ x: Float, _ y: Float) -> Float { 1 / x }
    }

    struct SquareRoot: UnaryElementwise {
        func value(_ x: Float) -> Float { x.squareRoot() }
        func derivative(_ x: Float, _ y: Float) -> Float { 0.5 / y }
    }

    struct Square: UnaryElementwise {
        func value(_ x: Float) -> Float { x * x }
        func derivative(_ x: Float, _ y: Float) -> Float { 2 * x }
    }

    struct Magnitude: UnaryElementwise {
        func value(_ x: Float) -> Float { Swift.abs(x) }
        func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }
    }

    struct Power: UnaryElementwise {
        let exponent: Float
        func value(_ x: Float) -> Float { Foundation.pow(x, exponent) }
        func derivative(_ x: Float, _ y: Float) -> Float { exponent * Foundation.pow(x, exponent - 1) }
    }

    struct Clamp: UnaryElementwise {
        let range: ClosedRange<Float>
        func value(_ x: Float) -> Float { Swift.min(Swift.max(x, range.lowerBound), range.upperBound) }
        func derivative(_ x: Float, _ y: Float) -> Float { range.contains(x) ? 1 : 0 }
    }
}

extension Tensor {
    /// Elementwise sum with trailing-dimension broadcasting.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { broadcastBinary(lhs, rhs, ElementwiseOp.Addition()) }

    /// Elementwise difference with trailing-dimension broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { broadcastBinary(lhs, rhs, ElementwiseOp.Subtraction()) }

    /// Elementwise product with trailing-dimension broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { broadcastBinary(lhs, rhs, ElementwiseOp.Multiplication()) }

    /// Elementwise quotient with trailing-dimension broadcasting.
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { broadcastBinary(lhs, rhs, ElementwiseOp.Division()) }

    /// Adds a constant to every scalar.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { unaryMap(lhs, ElementwiseOp.Offset(constant: rhs)) }

    /// Adds a constant to every scalar.
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs + lhs }

    /// Subtracts a constant from every scalar.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs + (-rhs) }

    /// Subtracts every scalar from a constant.
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { unaryMap(rhs, ElementwiseOp.SubtractedFrom(constant: lhs)) }

    /// Multiplies every scalar by a constant.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { unaryMap(lhs, ElementwiseOp.Scale(factor: rhs)) }

    /// Multiplies every scalar by a constant.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }

    /// Divides every scalar by a constant.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs * (1 / rhs) }

    /// Divides a constant by every scalar.
    public static func / (lhs: Float, rhs: Tensor) -> Tensor { unaryMap(rhs, ElementwiseOp.DividedInto(constant: lhs)) }

    /// The elementwise negation.
    public static prefix func - (operand: Tensor) -> Tensor { operand.negated() }

    /// −x elementwise.
    public func negated() -> Tensor { unaryMap(self, ElementwiseOp.Scale(factor: -1)) }

    /// eˣ elementwise.
    public func exponential() -> Tensor { unaryMap(self, ElementwiseOp.Exponential()) }

    /// The natural logarithm elementwise.
    public func logarithm() -> Tensor { unaryMap(self, ElementwiseOp.Logarithm()) }

    /// √x elementwise.
    public func squareRoot() -> Tensor { unaryMap(self, ElementwiseOp.SquareRoot()) }

    /// x² elementwise.
    public func squared() -> Tensor { unaryMap(self, ElementwiseOp.Square()) }

    /// 1/x elementwise.
    public func reciprocal() -> Tensor { unaryMap(self, ElementwiseOp.DividedInto(constant: 1)) }

    /// |x| elementwise (gradient 0 at 0).
    public func magnitude() -> Tensor { unaryMap(self, ElementwiseOp.Magnitude()) }

    /// xᵖ elementwise for a constant exponent.
    public func raised(toPower exponent: Float) -> Tensor { unaryMap(self, ElementwiseOp.Power(exponent: exponent)) }

    /// Each scalar limited to `range` (gradient passes only where the input was inside it).
    public func clamped(to range: ClosedRange<Float>) -> Tensor { unaryMap(self, ElementwiseOp.Clamp(range: range)) }
}
