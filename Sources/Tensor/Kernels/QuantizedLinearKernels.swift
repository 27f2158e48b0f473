// Linear layer y = x·Wᵀ for a few rows of x, with W [outFeatures, inFeatures] kept as ggml
// blocks (a GGUF matrix). Decode steps are matrix-vector products bound by memory traffic; Q4_1
// weights are 5 bits a value instead of 32. Forward only: training uses the Float32 weights.

/// The block types `quantizedLinearForward` multiplies directly.
public let quantizedLinearTypes: [GGMLType] = [.q4_0, .q4_1, .q8_0]

/// out[rows, outFeatures] = input[rows, inFeatures] · Wᵀ, W stored as `type` blocks at `weight`,
/// row after row (`outFeatures` rows of `inFeatures / 32` blocks; `inFeatures` a multiple of 32).
///
/// Each output is Σ w·x over the row's dequantized values in one fixed order, whatever `rows`
/// and the thread count, so a sequence decoded alone or in a batch gets the same numbers.
/// Output features are split across cores in contiguous ranges.
public func quantizedLinearForward(
    out: UnsafeMutableBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    weight: UnsafeRawBufferPointer,
    type: GGMLType,
    rows: Int, inFeatures: Int, outFeatures: Int
) {
    precondition(inFeatures % 32 == 0 && weight.count >= type.byteCount(elements: outFeatures * inFeatures)
        && out.count >= rows * outFeatures && input.count >= rows * inFeatures,
        "quantizedLinearForward: buffers smaller than the shapes")
    guard rows > 0, outFeatures > 0 else { return }
    let y = out.baseAddress!, x = input.baseAddress!, w = weight.baseAddress!
    switch type {
    case .q4_1: QuantizedLinear<BlockQ4_1>.forward(y, x, w, rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
    case .q8_0: QuantizedLinear<BlockQ8_0>.forward(y, x, w, rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
    case .q4_0: QuantizedLinear<BlockQ4_0>.forward(y, x, w, rows: rows, inFeatures: inFeatures, outFeatures: outFeatures)
    default: preconditionFailure("quantizedLinearForward: no kernel for \(type); check quantizedLinearTypes first")
    }
}

/// The product for one block type (specialized per type by the dispatch above).
enum QuantizedLinear<Block: VectorDecodableBlock> {
    /// Products smaller than this (output features × input features × rows) stay on one core:
    /// waking a blocked worker costs 40–200 µs on this machine, more than a 576×576 product
    /// takes (35 µs), so only the LM head (28 M) and batched steps are split.
    static var minimumParallelWork: Int { 2_000_000 }

    static func forward(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ w: UnsafeRawPointer,
                        rows: Int, inFeatures: Int, outFeatures: Int) {
        let blocks = inFeatures / 32, stride = Block.type.typeSize, bytesPerRow = blocks * stride
        let halves = HalfTable.floats
        KernelMath.forEachChunk(of: outFeatures, costPerItem: inFeatures * rows, minimumWork: QuantizedLinear.minimumParallelWork) { features in
            if rows == 1 {
                // One input row: decode each block in registers and multiply it straight away.
                for feature in features {
                    y[feature] = dot(w + feature * bytesPerRow, blocks: blocks, stride: stride, x, halves: halves)
                }
                return
            }
            // Several rows: decode each weight row once into a scratch row, then one dot per input.
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: inFeatures)
            defer { scratch.deallocate() }
            for feature in features {
                decode(w + feature * bytesPerRow, blocks: blocks, stride: stride, into: scratch, halves: halves)
                var row = 0
                while row + 1 < rows {
                    let (first, second) = BlockDotSum.dot(scratch, x + row * inFeatures, x + (row + 1) * inFeatures,
                                                          count: inFeatures)
                    y[row * outFeatures + feature] = first
                    y[(row + 1) * outFeatures + feature] = second
                    row += 2
                }
                if row < rows {
                    y[row * outFeatures + feature] = BlockDotSum.dot(scratch, x + row * inFeatures, count: inFeatures)
                }
            }
        }
    }

    /// Σ w·x over one weight row of `blocks` blocks, `stride` bytes each.
    @inline(__always)
    static func dot(_ row: UnsafeRawPointer, blocks: Int, stride: Int, _ x: UnsafePointer<Float>, halves: UnsafePointer<Float>) -> Float {
        var sum = BlockDotSum()
        for b in 0..<blocks {
            let values = Block.decode(row + b &* stride, halves: halves)
            sum.add(low: values.low, high: values.high, times: x + 32 &* b)
        }
        return sum.total
    }

    /// One weight row of `blocks` blocks, `stride` bytes each, as Float32 values at `output`.
    @inline(__always)
    static func decode(_ row: UnsafeRawPointer, blocks: Int, stride: Int, into output: UnsafeMutablePointer<Float>,
                       halves: UnsafePointer<Float>) {
        for b in 0..<blocks {
            let values = Block.decode(row + b &* stride, halves: halves)
            UnsafeMutableRawPointer(output + 32 &* b).storeBytes(of: values.low, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(output + (32 &* b &+ 16)).storeBytes(of: values.high, as: SIMD16<Float>.self)
        }
    }
}

/// The one summation order of every quantized dot product: two 16-lane partial sums (block
/// values 0–15 and 16–31), added lane-wise at the end and then across the lanes. The fused
/// one-row path and the decode-then-dot path both use it, so they agree bit for bit.
struct BlockDotSum {
    var low = SIMD16<Float>(repeating: 0)
    var high = SIMD16<Float>(repeating: 0)

    /// Adds one block's 32 values (`low`, `high`) times the 32 floats at `x`.
    @inline(__always)
    mutating func add(low values0: SIMD16<Float>, high values1: SIMD16<Float>, times x: UnsafePointer<Float>) {
        // Separate multiply and add (no FMA), as a plain Float32 loop rounds.
        low += values0 * UnsafeRawPointer(x).loadUnaligned(as: SIMD16<Float>.self)
        high += values1 * UnsafeRawPointer(x + 16).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    var total: Float { (low + high).sum() }

    /// Σ w·x for `count` (a multiple of 32) already decoded values `w`, in the same order.
    @inline(__always)
    static func dot(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var sum = BlockDotSum()
        var i = 0
        while i < count {
            sum.add(low: UnsafeRawPointer(w + i).loadUnaligned(as: SIMD16<Float>.self),
                    high: UnsafeRawPointer(w + i + 16).loadUnaligned(as: SIMD16<Float>.self), times: x + i)
            i += 32
        }
        return sum.total
    }

    /// The same for two input rows at once (one load of `w` for both, twice the independent
    /// additions in flight); each result equals `dot(w, x, count:)` bit for bit.
    @inline(__always)
    static func dot(_ w: UnsafePointer<Float>, _ x0: UnsafePointer<Float>, _ x1: UnsafePointer<Float>,
                    count: Int) -> (Float, Float) {
        var first = BlockDotSum(), second = BlockDotSum()
        var i = 0
        while i < count {
            let low = UnsafeRawPointer(w + i).loadUnaligned(as: SIMD16<Float>.self)
            let high = UnsafeRawPointer(w + i + 16).loadUnaligned(as: SIMD16<Float>.self)
            first.add(low: low, high: high, times: x0 + i)
            second.add(low: low, high: high, times: x1 + i)
            i += 32
        }
        return (first.total, second.total)
    }
}
