// Tensor: a Float32 array with a shape, contiguous row-major storage and reverse-mode autograd.
//
// THE TAPE CONTRACT (for op authors)
// ----------------------------------
// An op is a plain function that computes its output eagerly and, when gradients are wanted,
// records ONE closure that knows how to push the output's gradient back into its inputs.
// Forward and backward sit side by side:
//
//     public func scaled(_ x: Tensor, by factor: Float) -> Tensor {
//         let out = Tensor(zeros: x.shape)
//         /* forward: write out from x */
//         return Tensor.record(out, inputs: [x]) { outGrad in
//             // backward: ADD into the input gradients (llm.c style `+=`), never overwrite.
//             x.withGradient { dx in /* dx[i] += factor * outGrad[i] */ }
//         }
//     }
//
// Rules:
// 1. `Tensor.record(_:inputs:backward:)` returns `out` unchanged. It records only when grad mode
//    is on (not inside `Autograd.noGrad { }`) and some input has `requiresGrad`; then `out`
//    gets `requiresGrad = true` and remembers the closure and its inputs. Otherwise the closure is
//    dropped. Use `Tensor.isRecording(inputs)` to skip saving forward state nobody will use.
// 2. The closure receives the gradient of the loss with respect to `out` (same shape as `out`).
//    It must not modify `outGrad`; it may hand `outGrad` to `accumulateGradient`, which copies.
// 3. Accumulate with `input.withGradient { dInput in ... += ... }` (a zero-filled buffer is
//    allocated on first use; the call does nothing when the input does not require grad) or
//    with `input.accumulateGradient(someTensor)`. Inputs that do not require grad are skipped
//    automatically by both.
// 4. Capture what backward needs (inputs, saved statistics) in the closure. NEVER capture `out`
//    itself: that makes a reference cycle out -> closure -> out. If backward needs the output
//    values, capture `out.detach()` (shares storage, no graph).
// 5. Ops must not write into their inputs' storage (no in-place ops on tensors in a graph).
//
// `loss.backward()` walks only the tensors reachable from `loss` through recorded inputs, in
// reverse topological order, calls each closure once with the fully accumulated gradient, and
// frees the graph (closures and intermediate gradients) unless `retainGraph: true`. Leaf tensors
// (created by the user with `requiresGrad = true`) keep and accumulate their `grad` across calls
// until `zeroGradient()`.

/// A Float32 tensor: a shape and contiguous row-major scalars, with optional gradient tracking.
///
/// Tensors are reference types: copies of a reference see the same scalars. Views (`reshaped`,
/// row slices, `detach()`) share storage with the tensor they come from.
public final class Tensor {
    /// The size of each dimension, outermost first. `[]` is a scalar.
    public let shape: [Int]
    /// The memory holding the scalars (possibly shared with other tensors).
    public let storage: TensorStorage
    /// Where this tensor's first scalar sits in `storage`.
    public let offset: Int
    /// The number of scalars (the product of `shape`).
    public let count: Int

    /// Whether gradients flow into this tensor. Set it on parameters before the forward pass.
    public var requiresGrad: Bool = false
    /// The accumulated gradient of the last `backward()` calls, for leaf tensors.
    public var grad: Tensor?
    /// Keep `grad` on this non-leaf tensor after `backward()` (for inspection and tests).
    public var retainsGrad: Bool = false
    /// The recorded op that produced this tensor, if any.
    var gradientNode: GradientNode?

    /// Wraps existing storage. `offset + count` must lie within the storage.
    public init(shape: [Int], storage: TensorStorage, offset: Int = 0) {
        let count = Tensor.elementCount(of: shape)
        precondition(offset >= 0 && offset + count <= storage.count,
                     "Tensor: shape \(shape) at offset \(offset) exceeds storage of \(storage.count) scalars")
        self.shape = shape
        self.storage = storage
        self.offset = offset
        self.count = count
    }

    /// A tensor of the given shape filled with zeros.
    public convenience init(zeros shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(count: Tensor.elementCount(of: shape)))
    }

    /// A tensor of the given shape with every scalar equal to `value`.
    public convenience init(shape: [Int], repeating value: Float) {
        self.init(zeros: shape)
        if value != 0 { withUnsafeMutableBufferPointer { $0.update(repeating: value) } }
    }

    /// A tensor holding `scalars` in row-major order. Traps if the count does not match the shape;
    /// use `init(validating:scalars:)` for data that comes from a user or a file.
    public convenience init(shape: [Int], scalars: [Float]) {
        precondition(scalars.count == Tensor.elementCount(of: shape),
                     "Tensor: \(scalars.count) scalars do not fill shape \(shape)")
        self.init(shape: shape, storage: TensorStorage(copying: scalars))
    }

    /// A tensor holding `scalars`, or a `TensorError` when the count does not match the shape.
    public convenience init(validating shape: [Int], scalars: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw TensorError.invalidShape(shape) }
        guard scalars.count == Tensor.elementCount(of: shape) else {
            throw TensorError.countMismatch(shape: shape, count: scalars.count)
        }
        self.init(shape: shape, storage: TensorStorage(copying: scalars))
    }

    /// A rank-0 tensor holding one value.
    public convenience init(scalar value: Float) {
        self.init(shape: [], scalars: [value])
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// A copy of the scalars in row-major order.
    public var scalars: [Float] { withUnsafeBufferPointer { Array($0) } }

    /// The single value of a one-element tensor (the loss, usually).
    public var scalar: Float {
        precondition(count == 1, "Tensor.scalar: tensor of shape \(shape) has \(count) scalars")
        return storage.buffer[offset]
    }

    /// Calls `body` with this tensor's scalars.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(rebasing: storage.buffer[offset ..< offset + count]))
    }

    /// Calls `body` with this tensor's scalars for writing. Writes are visible to every tensor
    /// sharing the storage; never write into a tensor that is part of a recorded graph.
    @inlinable
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(rebasing: storage.buffer[offset ..< offset + count]))
    }

    /// Reads or writes one scalar by its indices (for debugging and tests; slow).
    public subscript(indices: Int...) -> Float {
        get { storage.buffer[offset + flatIndex(indices)] }
        set { storage.buffer[offset + flatIndex(indices)] = newValue }
    }

    /// The product of the dimensions of `shape` (1 for a scalar).
    @inlinable
    public static func elementCount(of shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    private func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "Tensor: \(indices.count) indices for shape \(shape)")
        var flat = 0
        for (index, size) in zip(indices, shape) {
            precondition(index >= 0 && index < size, "Tensor: index \(indices) out of bounds for shape \(shape)")
            flat = flat * size + index
        }
        return flat
    }
}

extension Tensor: CustomStringConvertible {
    /// `Tensor([2, 3]) [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]`, eliding the middle of long rows.
    public var description: String {
        let values = scalars
        func render(_ dimension: Int, _ start: Int) -> String {
            if dimension == shape.count { return "\(values[start])" }
            let size = shape[dimension]
            let stride = shape[(dimension + 1)...].reduce(1, *)
            let shown: [Int] = size > 8 ? Array(0..<3) + [-1] + Array((size - 3)..<size) : Array(0..<size)
            let parts = shown.map { $0 < 0 ? "..." : render(dimension + 1, start + $0 * stride) }
            return "[" + parts.joined(separator: ", ") + "]"
        }
        let gradientNote = requiresGrad ? ", requiresGrad" : ""
        return "Tensor(\(shape)\(gradientNote)) " + render(0, 0)
    }
}

/// Errors raised when building tensors from untrusted input.
public enum TensorError: Error, CustomStringConvertible, Equatable {
    /// A dimension was negative.
    case invalidShape([Int])
    /// The number of scalars does not match the shape.
    case countMismatch(shape: [Int], count: Int)
    /// Two shapes that must agree do not.
    case shapeMismatch(expected: [Int], actual: [Int])

    public var description: String {
        switch self {
        case .invalidShape(let shape):
            return "Invalid tensor shape \(shape): every dimension must be zero or positive."
        case .countMismatch(let shape, let count):
            return "Got \(count) scalars for shape \(shape), which needs \(Tensor.elementCount(of: shape)); check the data or the shape."
        case .shapeMismatch(let expected, let actual):
            return "Expected a tensor of shape \(expected) but got \(actual); reshape or transpose the input first."
        }
    }
}
