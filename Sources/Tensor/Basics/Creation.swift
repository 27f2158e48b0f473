// Tensors filled with constants, ranges and seeded random numbers.

extension Tensor {
    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor {
        Tensor(zeros: shape)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, repeating: 1)
    }

    /// A tensor with every scalar equal to `value`.
    public static func full(_ shape: [Int], value: Float) -> Tensor {
        Tensor(shape: shape, repeating: value)
    }

    /// The 1-D tensor `[start, start + step, …]` of the values below `end` (above it when `step < 0`).
    public static func arange(from start: Float = 0, to end: Float, step: Float = 1) -> Tensor {
        precondition(step != 0, "arange: step must not be zero")
        let count = max(0, Int(((end - start) / step).rounded(.up)))
        let out = Tensor(zeros: [count])
        out.withUnsafeMutableBufferPointer { values in
            for index in 0..<count { values[index] = start + Float(index) * step }
        }
        return out
    }

    /// Samples from a normal distribution, drawn in row-major order from `stream`.
    public static func normal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                              using stream: inout RandomStream) -> Tensor {
        let out = Tensor(zeros: shape)
        out.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = mean + standardDeviation * stream.nextNormal() }
        }
        return out
    }

    /// Samples uniformly from `range` (lower bound included, upper excluded), in row-major order.
    public static func uniform(_ shape: [Int], in range: ClosedRange<Float> = 0...1,
                               using stream: inout RandomStream) -> Tensor {
        let out = Tensor(zeros: shape)
        let width = range.upperBound - range.lowerBound
        out.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = range.lowerBound + width * stream.nextUniform() }
        }
        return out
    }

    /// A new tensor with a copy of this one's scalars, outside any graph.
    public func copy() -> Tensor {
        let out = Tensor(shape: shape, storage: TensorStorage(uninitializedCount: count))
        out.withUnsafeMutableBufferPointer { target in
            withUnsafeBufferPointer { source in _ = target.update(fromContentsOf: source) }
        }
        return out
    }
}
