// The LoRA update y += scale·(x·Aᵀ)·Bᵀ with A [rank, in] and B [out, rank] (PEFT's shapes).
// Over many rows (training, scoring) the forward is `cqk_low_rank_projection` and one
// `KernelMath.gemm` call, and the backward two passes of LowRankGradientKernels.c that accumulate (+=).

import CQuantKernels

/// Up to this many rows, `lowRankUpdateForward` computes row by row with dot products instead
/// of calling sgemm.
public let lowRankDirectRowLimit = 8

/// out[rows, outFeatures] += scale · projected · Bᵀ, where projected[rows, rank] = input · Aᵀ is
/// written for the backward pass.
public func lowRankUpdateForward(
    out: UnsafeMutableBufferPointer<Float>,
    projected: UnsafeMutableBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    a: UnsafeBufferPointer<Float>,
    b: UnsafeBufferPointer<Float>,
    scale: Float,
    rows: Int, inFeatures: Int, outFeatures: Int, rank: Int,
    instructionSet: QuantizedInstructionSet = .current
) {
    precondition(out.count >= rows * outFeatures && projected.count >= rows * rank
        && input.count >= rows * inFeatures && a.count >= rank * inFeatures && b.count >= outFeatures * rank,
        "lowRankUpdateForward: buffers smaller than the shapes")
    guard rows > 0, rank > 0 else { return }
    if rows <= lowRankDirectRowLimit {
        // Decode steps (a few rows): the many-row path's parallel section and sgemm call cost
        // more in waking and joining threads than the ~rank·(in + out) multiply-adds per row.
        let target = LowRankUpdateTarget(out: out.baseAddress!, projected: projected.baseAddress!, a: a.baseAddress!,
                                         b: b.baseAddress!, outFeatures: outFeatures, scale: scale)
        lowRankUpdateRows([target], input: input.baseAddress!, rows: rows, inFeatures: inFeatures, rank: rank)
        return
    }
    // x·Aᵀ is [rows, rank] with rank ≈ 16: sgemm spends more on packing x than on the
    // multiply-adds (≈ 15 GFLOP/s a core at 576 × 16 × 576). `cqk_low_rank_projection` keeps
    // 16 ranks of eight rows in registers and reads each of Aᵀ's rows once for the eight.
    let packedA = UnsafeMutablePointer<Float>.allocate(capacity: (rank + 15) / 16 * 16 * inFeatures)
    defer { packedA.deallocate() }
    cqk_low_rank_pack_factor(a.baseAddress!, Int64(rank), Int64(inFeatures), packedA)
    KernelMath.forEachChunk(of: rows, costPerItem: rank * inFeatures) { range in
        cqk_low_rank_projection(instructionSet.rawValue, input.baseAddress! + range.lowerBound * inFeatures,
                                Int64(range.count), Int64(inFeatures), packedA, Int64(rank),
                                projected.baseAddress! + range.lowerBound * rank)
    }
    KernelMath.gemm(
        transposeA: false, transposeB: true, m: rows, n: outFeatures, k: rank, alpha: scale,
        a: projected.baseAddress!, lda: rank, b: b.baseAddress!, ldb: rank,
        beta: 1, c: out.baseAddress!, ldc: outFeatures)
}

/// Accumulates the gradients of `lowRankUpdateForward` given d out: with dP = scale·dOut·B,
/// dB += scale·dOutᵀ·projected, dA += dPᵀ·input, dInput += dP·A. Pass nil for gradients that
/// are not needed.
///
/// Two passes (`cqk_low_rank_output_gradients`, then `cqk_low_rank_input_gradients`), each
/// reading its big operand once with the rank-wide sums in registers, where four sgemm calls
/// with one side 16 wide read d out twice and ran at 45–140 GFLOP/s. The first pass splits the
/// output features into `lowRankGradientSlices` fixed slices whose dP shares are added in order,
/// so the results do not depend on the thread count; the second splits the input columns,
/// which share nothing.
public func lowRankUpdateBackward(
    dInput: UnsafeMutableBufferPointer<Float>?,
    dA: UnsafeMutableBufferPointer<Float>?,
    dB: UnsafeMutableBufferPointer<Float>?,
    dOut: UnsafeBufferPointer<Float>,
    projected: UnsafeBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    a: UnsafeBufferPointer<Float>,
    b: UnsafeBufferPointer<Float>,
    scale: Float,
    rows: Int, inFeatures: Int, outFeatures: Int, rank: Int,
    instructionSet: QuantizedInstructionSet = .current
) {
    guard rows > 0, rank > 0, outFeatures > 0 else { return }
    let needsProjected = (dA != nil || dInput != nil) && inFeatures > 0
    guard dB != nil || needsProjected else { return }
    precondition(dOut.count >= rows * outFeatures && projected.count >= rows * rank && b.count >= outFeatures * rank
        && (dB.map { $0.count >= outFeatures * rank } ?? true), "lowRankUpdateBackward: buffers smaller than the shapes")
    let slices = lowRankGradientSlices, shareCount = rows * rank
    let shares = UnsafeMutablePointer<Float>.allocate(capacity: slices * shareCount)
    defer { shares.deallocate() }
    let featureGroups = (outFeatures + 7) / 8
    KernelMath.forEachChunk(of: slices, costPerItem: rows * outFeatures * rank / slices) { range in
        for slice in range {
            let groups = KernelMath.chunk(slice, of: slices, splitting: featureGroups)
            cqk_low_rank_output_gradients(instructionSet.rawValue, dOut.baseAddress!, Int64(rows), Int64(outFeatures),
                                          projected.baseAddress!, b.baseAddress!, Int64(rank),
                                          Int64(min(8 * groups.lowerBound, outFeatures)),
                                          Int64(min(8 * groups.upperBound, outFeatures)), scale, dB?.baseAddress,
                                          needsProjected ? shares + slice * shareCount : nil)
        }
    }
    guard needsProjected else { return }
    precondition(input.count >= rows * inFeatures && a.count >= rank * inFeatures
        && (dA.map { $0.count >= rank * inFeatures } ?? true) && (dInput.map { $0.count >= rows * inFeatures } ?? true),
        "lowRankUpdateBackward: buffers smaller than the shapes")
    // dP = scale · (the slices' shares, added in slice order), its rows padded with zeros to a
    // multiple of 16 ranks for the second pass.
    let paddedRank = (rank + 15) / 16 * 16
    let dProjected = UnsafeMutablePointer<Float>.allocate(capacity: rows * paddedRank)
    defer { dProjected.deallocate() }
    for t in 0..<rows {
        let row = dProjected + t * paddedRank, first = shares + t * rank
        var j = 0
        while j + 16 <= rank {
            var sum = UnsafeRawPointer(first + j).loadUnaligned(as: SIMD16<Float>.self)
            for slice in 1..<slices {
                sum += UnsafeRawPointer(first + slice * shareCount + j).loadUnaligned(as: SIMD16<Float>.self)
            }
            UnsafeMutableRawPointer(row + j).storeBytes(of: scale * sum, as: SIMD16<Float>.self)
            j += 16
        }
        while j < rank {
            var sum = first[j]
            for slice in 1..<slices { sum += first[slice * shareCount + j] }
            row[j] = scale * sum
            j += 1
        }
        (row + rank).update(repeating: 0, count: paddedRank - rank)
    }
    let columnGroups = (inFeatures + 15) / 16
    KernelMath.forEachChunk(of: columnGroups, costPerItem: rows * rank * 32) { groups in
        cqk_low_rank_input_gradients(instructionSet.rawValue, dProjected, Int64(paddedRank), Int64(rows), Int64(rank),
                                     input.baseAddress!, a.baseAddress!, Int64(inFeatures), Int64(16 * groups.lowerBound),
                                     Int64(min(16 * groups.upperBound, inFeatures)), dA?.baseAddress, dInput?.baseAddress)
    }
}

/// The fixed number of output-feature slices of `lowRankUpdateBackward`'s first pass (spread over
/// the cores; a fixed count keeps the sums the same on any number of threads).
let lowRankGradientSlices = 4

/// One adapted projection of a group whose LoRA updates read the same input rows.
public struct LowRankUpdateTarget {
    /// [rows, outFeatures]: the update is added in.
    public var out: UnsafeMutablePointer<Float>
    /// [rows, rank]: input·Aᵀ is written here.
    public var projected: UnsafeMutablePointer<Float>
    /// A [rank, inFeatures].
    public var a: UnsafePointer<Float>
    /// B [outFeatures, rank].
    public var b: UnsafePointer<Float>
    public var outFeatures: Int
    public var scale: Float

    public init(out: UnsafeMutablePointer<Float>, projected: UnsafeMutablePointer<Float>, a: UnsafePointer<Float>,
                b: UnsafePointer<Float>, outFeatures: Int, scale: Float) {
        self.out = out
        self.projected = projected
        self.a = a
        self.b = b
        self.outFeatures = outFeatures
        self.scale = scale
    }
}

/// For each target, projected = input·Aᵀ and out += scale·projected·Bᵀ, over a few rows (decode
/// steps): dot products for A, `cqk_low_rank_outputs` (B's rows transposed in registers) for B.
/// Every row's result is the same however many rows share the call. The targets share one pass
/// over the input (q, k and v read the same normed row), and both halves are spread over the
/// decode workers when there is enough work.
public func lowRankUpdateRows(_ targets: [LowRankUpdateTarget], input: UnsafePointer<Float>,
                              rows: Int, inFeatures: Int, rank: Int, instructionSet: QuantizedInstructionSet = .current) {
    guard rows > 0, rank > 0, !targets.isEmpty else { return }
    // x·Aᵀ: one item per row of an A, read once for all input rows.
    KernelWorkers.forEachChunk(of: targets.count * rank, costPerItem: rows * inFeatures,
                               minimumWork: lowRankParallelWork) { items in
        for item in items {
            let target = targets[item / rank], j = item % rank
            rowDots(input, rows: rows, stride: inFeatures, with: target.a + j * inFeatures, count: inFeatures,
                    into: target.projected + j, outputStride: rank)
        }
    }
    // scale·(x·Aᵀ)·Bᵀ: one item per output feature of the group.
    let total = targets.reduce(0) { $0 + $1.outFeatures }
    KernelWorkers.forEachChunk(of: total, costPerItem: rows * (rank + 16), minimumWork: lowRankParallelWork) { items in
        var first = 0
        for target in targets {
            // This target's features within the chunk, counted from its first.
            let lower = min(max(items.lowerBound - first, 0), target.outFeatures)
            let features = lower..<max(min(items.upperBound - first, target.outFeatures), lower)
            first += target.outFeatures
            guard !features.isEmpty else { continue }
            cqk_low_rank_outputs(instructionSet.rawValue, target.out, Int64(target.outFeatures), target.projected,
                                 Int64(rows), target.b, Int64(rank), Int64(features.lowerBound),
                                 Int64(features.upperBound), target.scale)
        }
    }
}

/// Work (multiply-adds) below which `lowRankUpdateRows` keeps a half on the calling thread: a
/// hand-off to the decode workers costs about a microsecond.
let lowRankParallelWork = 24_576

/// out[r · outputStride] = Σ x[r·stride + i]·w[i] for each of `rows` rows, `w` read once for up
/// to four rows; each row's sum is the one `rowDot` computes.
@inline(__always)
private func rowDots(_ x: UnsafePointer<Float>, rows: Int, stride: Int, with w: UnsafePointer<Float>, count: Int,
                     into out: UnsafeMutablePointer<Float>, outputStride: Int) {
    var row = 0
    while row + 4 <= rows {
        let x0 = x + row * stride, x1 = x0 + stride, x2 = x1 + stride, x3 = x2 + stride
        var l0 = SIMD16<Float>(repeating: 0), l1 = l0, l2 = l0, l3 = l0
        var i = 0
        while i + 16 <= count {
            let wv = UnsafeRawPointer(w + i).loadUnaligned(as: SIMD16<Float>.self)
            l0 += UnsafeRawPointer(x0 + i).loadUnaligned(as: SIMD16<Float>.self) * wv
            l1 += UnsafeRawPointer(x1 + i).loadUnaligned(as: SIMD16<Float>.self) * wv
            l2 += UnsafeRawPointer(x2 + i).loadUnaligned(as: SIMD16<Float>.self) * wv
            l3 += UnsafeRawPointer(x3 + i).loadUnaligned(as: SIMD16<Float>.self) * wv
            i += 16
        }
        var t0 = reduced(l0), t1 = reduced(l1), t2 = reduced(l2), t3 = reduced(l3)
        while i < count {
            t0 += x0[i] * w[i]
            t1 += x1[i] * w[i]
            t2 += x2[i] * w[i]
            t3 += x3[i] * w[i]
            i += 1
        }
        out[row * outputStride] = t0
        out[(row + 1) * outputStride] = t1
        out[(row + 2) * outputStride] = t2
        out[(row + 3) * outputStride] = t3
        row += 4
    }
    while row < rows {
        out[row * outputStride] = rowDot(x + row * stride, w, count: count)
        row += 1
    }
}

/// Σ a[i]·b[i], 16 lanes at a time, the lanes reduced by halving (a SIMD16's `sum()` goes lane
/// by lane, which dominates a rank-16 dot product).
@inline(__always)
private func rowDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD16<Float>(repeating: 0)
    var i = 0
    while i + 16 <= count {
        lanes += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
        i += 16
    }
    var total = reduced(lanes)
    while i < count {
        total += a[i] * b[i]
        i += 1
    }
    return total
}

/// The sum of 16 lanes by halving.
@inline(__always)
private func reduced(_ lanes: SIMD16<Float>) -> Float {
    let eight = lanes.lowHalf + lanes.highHalf, four = eight.lowHalf + eight.highHalf
    let two = four.lowHalf + four.highHalf
    return two[0] + two[1]
}
