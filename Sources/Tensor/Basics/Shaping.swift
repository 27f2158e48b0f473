// Reshape, transpose, row slices, concatenation, splitting and row gathers; each differentiable.

extension Tensor {
    /// The same scalars viewed with another shape; one dimension may be -1 (inferred).
    /// Shares storage with `self`.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "reshaped: cannot infer \(newShape) from \(shape)")
            resolved[inferred] = count / known
        }
        precondition(resolved.allSatisfy { $0 >= 0 } && Tensor.elementCount(of: resolved) == count,
                     "reshaped: \(shape) has \(count) scalars, \(newShape) does not fit")
        let out = Tensor(shape: resolved, storage: storage, offset: offset)
        return Tensor.record(out, inputs: [self]) { [self] outGrad in
            withGradient { dSelf in
                outGrad.withUnsafeBufferPointer { g in addInPlace(dSelf, g) }
            }
        }
    }

    /// Swaps the last two dimensions (the matrix transpose for 2-D; per batch item for 3-D and up).
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed: need at least 2 dimensions, got \(shape)")
        let rows = shape[rank - 2], columns = shape[rank - 1]
        var outShape = shape
        outShape.swapAt(rank - 2, rank - 1)
        let out = Tensor(shape: outShape, storage: TensorStorage(uninitializedCount: count))
        let batches = count / max(1, rows * columns)
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                transposeMatrices(from: x, to: y, batches: batches, rows: rows, columns: columns, accumulate: false)
            }
        }
        return Tensor.record(out, inputs: [self]) { [self] outGrad in
            withGradient { dSelf in
                outGrad.withUnsafeBufferPointer { g in
                    transposeMatrices(from: g, to: dSelf, batches: batches, rows: columns, columns: rows, accumulate: true)
                }
            }
        }
    }

    /// Rows `range` of the outermost dimension, as a view sharing storage with `self`.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows: \(range) outside 0..<\(shape.first ?? 0)")
        let rowSize = count / max(1, shape[0])
        let out = Tensor(shape: [range.count] + shape.dropFirst(), storage: storage,
                         offset: offset + range.lowerBound * rowSize)
        return Tensor.record(out, inputs: [self]) { [self] outGrad in
            withGradient { dSelf in
                outGrad.withUnsafeBufferPointer { g in
                    addInPlace(UnsafeMutableBufferPointer(rebasing: dSelf[(range.lowerBound * rowSize)...]), g)
                }
            }
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate: no tensors")
        let first = tensors[0]
        let axis = first.resolve(axis: axis)
        for tensor in tensors {
            precondition(tensor.rank == first.rank
                && zip(tensor.shape, first.shape).enumerated().allSatisfy { $0.offset == axis || $0.element.0 == $0.element.1 },
                "concatenate: shapes \(tensors.map(\.shape)) differ outside axis \(axis)")
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let blocks = tensors.map { $0.shape[axis] * inner }
        let outBlock = blocks.reduce(0, +)
        var outShape = first.shape
        outShape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let out = Tensor(shape: outShape, storage: TensorStorage(uninitializedCount: outer * outBlock))
        out.withUnsafeMutableBufferPointer { y in
            var start = 0
            for (tensor, block) in zip(tensors, blocks) {
                tensor.withUnsafeBufferPointer { x in
                    for row in 0..<outer {
                        (y.baseAddress! + row * outBlock + start).update(from: x.baseAddress! + row * block, count: block)
                    }
                }
                start += block
            }
        }
        return Tensor.record(out, inputs: tensors) { outGrad in
            outGrad.withUnsafeBufferPointer { g in
                var start = 0
                for (tensor, block) in zip(tensors, blocks) {
                    tensor.withGradient { dx in
                        for row in 0..<outer {
                            let source = g.baseAddress! + row * outBlock + start, target = dx.baseAddress! + row * block
                            for index in 0..<block { target[index] += source[index] }
                        }
                    }
                    start += block
                }
            }
        }
    }

    /// Cuts this tensor along `axis` into pieces of the given sizes (which must add up to the axis).
    public func split(sizes: [Int], alongAxis axis: Int) -> [Tensor] {
        let axis = resolve(axis: axis)
        precondition(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[axis],
                     "split: sizes \(sizes) do not add up to \(shape[axis]) (axis \(axis) of \(shape))")
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        let fullBlock = shape[axis] * inner
        var pieces: [Tensor] = []
        var start = 0
        for size in sizes {
            let block = size * inner, pieceStart = start
            var pieceShape = shape
            pieceShape[axis] = size
            let piece = Tensor(shape: pieceShape, storage: TensorStorage(uninitializedCount: outer * block))
            withUnsafeBufferPointer { x in
                piece.withUnsafeMutableBufferPointer { y in
                    for row in 0..<outer {
                        (y.baseAddress! + row * block).update(from: x.baseAddress! + row * fullBlock + pieceStart, count: block)
                    }
                }
            }
            pieces.append(Tensor.record(piece, inputs: [self]) { [self] outGrad in
                withGradient { dx in
                    outGrad.withUnsafeBufferPointer { g in
                        for row in 0..<outer {
                            let source = g.baseAddress! + row * block, target = dx.baseAddress! + row * fullBlock + pieceStart
                            for index in 0..<block { target[index] += source[index] }
                        }
                    }
                }
            })
            start += block
        }
        return pieces
    }

    /// The rows of the outermost dimension at `indices`, in that order (repeats allowed).
    /// Every index must be in `0..<shape[0]`.
    public func gatherRows(_ indices: [Int]) -> Tensor {
        precondition(rank >= 1, "gatherRows: need at least one dimension")
        let rowSize = count / max(1, shape[0])
        for index in indices {
            precondition(index >= 0 && index < shape[0], "gatherRows: row \(index) outside 0..<\(shape[0])")
        }
        let out = Tensor(shape: [indices.count] + shape.dropFirst(),
                         storage: TensorStorage(uninitializedCount: indices.count * rowSize))
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for (row, index) in indices.enumerated() {
                    (y.baseAddress! + row * rowSize).update(from: x.baseAddress! + index * rowSize, count: rowSize)
                }
            }
        }
        return Tensor.record(out, inputs: [self]) { [self] outGrad in
            withGradient { dx in
                outGrad.withUnsafeBufferPointer { g in
                    for (row, index) in indices.enumerated() {
                        let source = g.baseAddress! + row * rowSize, target = dx.baseAddress! + index * rowSize
                        for column in 0..<rowSize { target[column] += source[column] }
                    }
                }
            }
        }
    }

    /// `axis` with negative values counted from the end, checked against the rank.
    public func resolve(axis: Int) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        precondition(resolved >= 0 && resolved < rank, "axis \(axis) out of range for shape \(shape)")
        return resolved
    }
}

/// target[i] += source[i] for every i of `source`, split across cores when large.
func addInPlace(_ target: UnsafeMutableBufferPointer<Float>, _ source: UnsafeBufferPointer<Float>) {
    precondition(target.count >= source.count, "addInPlace: target shorter than source")
    Parallel.forEachChunk(count: source.count) { range in
        for index in range { target[index] += source[index] }
    }
}

/// Transposes `batches` row-major [rows, columns] matrices into [columns, rows], writing or adding.
/// Works in 32×32 tiles so both sides stay in cache.
func transposeMatrices(from source: UnsafeBufferPointer<Float>, to target: UnsafeMutableBufferPointer<Float>,
                       batches: Int, rows: Int, columns: Int, accumulate: Bool) {
    let tile = 32
    let matrix = rows * columns
    for batch in 0..<batches {
        let x = source.baseAddress! + batch * matrix, y = target.baseAddress! + batch * matrix
        for rowStart in stride(from: 0, to: rows, by: tile) {
            for columnStart in stride(from: 0, to: columns, by: tile) {
                for row in rowStart..<min(rowStart + tile, rows) {
                    for column in columnStart..<min(columnStart + tile, columns) {
                        if accumulate {
                            y[column * rows + row] += x[row * columns + column]
                        } else {
                            y[column * rows + row] = x[row * columns + column]
                        }
                    }
                }
            }
        }
    }
}
