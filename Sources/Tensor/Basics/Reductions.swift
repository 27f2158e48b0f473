import Foundation

// Sums, means, maxima and log-sum-exp over one axis or over everything; each differentiable.
// A reduction over `axis` views the tensor as [outer, size, inner] and produces [outer, inner]
// (with the axis kept as 1 when `keepingDimension`).

/// The [outer, size, inner] view of a reduction over one axis.
struct ReductionLayout {
    let outer: Int
    let size: Int
    let inner: Int
    let outShape: [Int]

    init(_ tensor: Tensor, axis: Int, keepingDimension: Bool) {
        let axis = tensor.resolve(axis: axis)
        outer = tensor.shape[..<axis].reduce(1, *)
        size = tensor.shape[axis]
        inner = tensor.shape[(axis + 1)...].reduce(1, *)
        var shape = tensor.shape
        if keepingDimension { shape[axis] = 1 } else { shape.remove(at: axis) }
        outShape = shape
    }

    /// Calls `body(outIndex, firstInputIndex)` for every output; the reduced elements are
    /// `first + k·inner`. Outer slices are split across cores when there is enough work; each
    /// output is reduced by one thread in a fixed order, so results do not depend on the split.
    @inline(__always)
    func forEachOutput(_ body: (Int, Int) -> Void) {
        let minimumSlices = Swift.max(1, 65_536 / Swift.max(1, size * inner))
        Parallel.forEachChunk(count: outer, minimumChunk: minimumSlices) { slices in
            for o in slices {
                for i in 0..<inner { body(o * inner + i, o * size * inner + i) }
            }
        }
    }
}

extension Tensor {
    /// The sum over `axis`.
    public func sum(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let layout = ReductionLayout(self, axis: axis, keepingDimension: keepingDimension)
        return reduce(layout, scale: 1)
    }

    /// The mean over `axis`.
    public func mean(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let layout = ReductionLayout(self, axis: axis, keepingDimension: keepingDimension)
        return reduce(layout, scale: 1 / Float(Swift.max(1, layout.size)))
    }

    /// The sum of every scalar, as a one-element tensor of shape [].
    public func sum() -> Tensor {
        reshaped([count]).sum(alongAxis: 0)
    }

    /// The mean of every scalar, as a one-element tensor of shape [].
    public func mean() -> Tensor {
        reshaped([count]).mean(alongAxis: 0)
    }

    /// scale · Σ over the layout's axis (sum and mean), accumulated in Double for accuracy.
    private func reduce(_ layout: ReductionLayout, scale: Float) -> Tensor {
        let out = Tensor(zeros: layout.outShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                layout.forEachOutput { outIndex, first in
                    var total: Double = 0
                    for k in 0..<layout.size { total += Double(x[first + k * layout.inner]) }
                    y[outIndex] = Float(total) * scale
                }
            }
        }
        return Tensor.record(out, inputs: [self]) { [self] outGrad in
            withGradient { dx in
                outGrad.withUnsafeBufferPointer { g in
                    layout.forEachOutput { outIndex, first in
                        let share = g[outIndex] * scale
                        for k in 0..<layout.size { dx[first + k * layout.inner] += share }
                    }
                }
            }
        }
    }

    /// The maximum over `axis`; the gradient flows to the first position of each maximum.
    public func maximum(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let layout = ReductionLayout(self, axis: axis, keepingDimension: keepingDimension)
        precondition(layout.size > 0, "maximum: axis \(axis) of \(shape) is empty")
        let out = Tensor(zeros: layout.outShape)
        var winners = [Int](repeating: 0, count: out.count)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                winners.withUnsafeMutableBufferPointer { winner in
                    layout.forEachOutput { outIndex, first in
                        var best = first
                        for k in 1..<Swift.max(1, layout.size) where x[first + k * layout.inner] > x[best] {
                            best = first + k * layout.inner
                        }
                        y[outIndex] = x[best]
                        winner[outIndex] = best
                    }
                }
            }
        }
        return Tensor.record(out, inputs: [self]) { [self] outGrad in
            withGradient { dx in
                outGrad.withUnsafeBufferPointer { g in
                    for (outIndex, winner) in winners.enumerated() { dx[winner] += g[outIndex] }
                }
            }
        }
    }

    /// log Σ exp(x) over `axis`, computed stably (shifted by the maximum).
    public func logSumExponential(alongAxis axis: Int, keepingDimension: Bool = false) -> Tensor {
        let layout = ReductionLayout(self, axis: axis, keepingDimension: keepingDimension)
        precondition(layout.size > 0, "logSumExponential: axis \(axis) of \(shape) is empty")
        let out = Tensor(zeros: layout.outShape)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                layout.forEachOutput { outIndex, first in
                    var shift = -Float.infinity
                    for k in 0..<layout.size { shift = Swift.max(shift, x[first + k * layout.inner]) }
                    var total: Float = 0
                    for k in 0..<layout.size { total += Foundation.exp(x[first + k * layout.inner] - shift) }
                    y[outIndex] = shift + Foundation.log(total)
                }
            }
        }
        let saved = out.detach()
        return Tensor.record(out, inputs: [self]) { [self] outGrad in
            withGradient { dx in
                withUnsafeBufferPointer { x in
                    saved.withUnsafeBufferPointer { lse in
                        outGrad.withUnsafeBufferPointer { g in
                            layout.forEachOutput { outIndex, first in
                                for k in 0..<layout.size {
                                    let index = first + k * layout.inner
                                    dx[index] += g[outIndex] * Foundation.exp(x[index] - lse[outIndex])
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
