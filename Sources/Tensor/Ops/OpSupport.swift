// Small helpers shared by the differentiable op wrappers in this folder.

extension Tensor {
    /// The size of the last dimension (1 for a scalar).
    var lastDimension: Int { shape.last ?? 1 }

    /// Rows when the tensor is seen as [rows, lastDimension].
    var rowCount: Int { lastDimension == 0 ? 0 : count / lastDimension }

    /// This shape with the last dimension replaced.
    func shapeReplacingLast(with size: Int) -> [Int] {
        shape.isEmpty ? [size] : Array(shape.dropLast()) + [size]
    }
}

/// Reads several tensors' scalars at once (the kernels take buffer pointers).
@inline(__always)
func withBuffers<R>(_ a: Tensor, _ b: Tensor,
                    _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>) -> R) -> R {
    a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in body(x, y) } }
}

/// Calls `body` with `tensor`'s scalars, or nil when there is no tensor.
@inline(__always)
func withOptionalBuffer<R>(_ tensor: Tensor?, _ body: (UnsafeBufferPointer<Float>?) -> R) -> R {
    guard let tensor else { return body(nil) }
    return tensor.withUnsafeBufferPointer { body($0) }
}

/// Calls `body` with the gradient buffer of `tensor` when it is given and requires grad, else nil.
@inline(__always)
func withOptionalGradient(_ tensor: Tensor?, _ body: (UnsafeMutableBufferPointer<Float>?) -> Void) {
    guard let tensor, tensor.requiresGrad else { return body(nil) }
    tensor.withGradient { body($0) }
}

/// `input`'s gradient buffer, or `scratch` when given (an input that needs no gradient, or one
/// whose gradient is transformed before it reaches the input).
func withGradient(of input: Tensor, scratch: Tensor?, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
    if let scratch { scratch.withUnsafeMutableBufferPointer(body) } else { input.withGradient(body) }
}

/// Token ids or positions as the Int32 the kernels read, checked against `limit` when given.
func int32Indices(_ values: [Int], name: String, limit: Int? = nil) -> [Int32] {
    values.map { value in
        precondition(value >= Int(Int32.min) && value <= Int(Int32.max), "\(name): \(value) does not fit in Int32")
        if let limit { precondition(value >= 0 && value < limit, "\(name): \(value) outside 0..<\(limit)") }
        return Int32(value)
    }
}
