import Foundation

// Causal (or bidirectional) scaled-dot-product attention with grouped KV heads, per head via sgemm:
//   z = scale·Q_h·K_gᵀ, optionally soft-capped (cap·tanh(z/cap)), masked to the causal
//   (and sliding) window, P = softmax(z), O_h = P·V_g, with g = h / (heads / kvHeads).
// The forward keeps only each row's logsumexp; the backward recomputes P per head.

/// The shape and options of one attention call.
///
/// Queries are rows `0..<queryCount` at absolute positions `keyOffset + t`; keys and values
/// have `keyOffset + queryCount` rows (a KV cache prefix followed by the new rows), so
/// query t sees key j iff j ≤ keyOffset + t (and keyOffset + t − j < window when sliding).
public struct AttentionConfiguration: Sendable, Equatable {
    public var queryCount: Int
    public var keyOffset: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    /// Multiplies Q·Kᵀ; 1/√headDim by default (Gemma: 1/√query_pre_attn_scalar).
    public var scale: Float
    /// When set, query i sees key j only if 0 ≤ i − j < window (in absolute positions).
    public var slidingWindow: Int?
    /// When set, scores become cap·tanh(score/cap) before masking and softmax.
    public var softCap: Float?
    /// False for bidirectional attention (encoders): every query sees every key, no window.
    public var isCausal: Bool

    public init(queryCount: Int, keyOffset: Int = 0, heads: Int, kvHeads: Int, headDim: Int,
                scale: Float? = nil, slidingWindow: Int? = nil, softCap: Float? = nil, isCausal: Bool = true) {
        precondition(heads > 0 && kvHeads > 0 && heads % kvHeads == 0,
                     "attention: heads (\(heads)) must be a positive multiple of kvHeads (\(kvHeads))")
        precondition(slidingWindow.map { $0 > 0 } ?? true, "attention: slidingWindow must be positive")
        self.queryCount = queryCount
        self.keyOffset = keyOffset
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.scale = scale ?? 1 / Float(headDim).squareRoot()
        self.slidingWindow = slidingWindow
        self.softCap = softCap
        self.isCausal = isCausal
    }

    /// Rows of K and V: the prefix plus the new rows.
    public var keyCount: Int { keyOffset + queryCount }
    /// Floats in one row of Q or O ([heads·headDim]).
    public var queryWidth: Int { heads * headDim }
    /// Floats in one row of K or V ([kvHeads·headDim]).
    public var keyWidth: Int { kvHeads * headDim }

    /// The keys query row `t` attends to.
    @inline(__always)
    func visibleKeys(ofQuery t: Int) -> ClosedRange<Int> {
        guard isCausal else { return 0...(keyCount - 1) }
        let position = keyOffset + t
        let first = slidingWindow.map { max(0, position - $0 + 1) } ?? 0
        return first...position
    }

    /// Query rows in blocks of 64, each with the keys some row of the block sees, so the
    /// products skip most of the masked (future or out-of-window) scores.
    func rowBlocks() -> [(rows: Range<Int>, keys: ClosedRange<Int>)] {
        let size = isCausal ? 64 : max(1, queryCount)
        return stride(from: 0, to: queryCount, by: size).map { start in
            let end = min(queryCount, start + size)
            return (start..<end, visibleKeys(ofQuery: start).lowerBound...visibleKeys(ofQuery: end - 1).upperBound)
        }
    }
}

/// out[T, heads·headDim] = attention(query, key, value); writes logSumExp[heads, T] for the backward.
public func attentionForward(
    out: UnsafeMutableBufferPointer<Float>,
    logSumExp: UnsafeMutableBufferPointer<Float>,
    query: UnsafeBufferPointer<Float>,
    key: UnsafeBufferPointer<Float>,
    value: UnsafeBufferPointer<Float>,
    configuration c: AttentionConfiguration
) {
    let t = c.queryCount, s = c.keyCount
    precondition(out.count >= t * c.queryWidth && query.count >= t * c.queryWidth
        && key.count >= s * c.keyWidth && value.count >= s * c.keyWidth
        && logSumExp.count >= c.heads * t, "attentionForward: buffers smaller than the shapes")
    guard t > 0 else { return }
    KernelMath.forEachHead(c.heads, scratchCount: t * s) { head, scores in
        attentionForwardHead(head, scores: scores, out: out, logSumExp: logSumExp, query: query, key: key,
                             value: value, configuration: c)
    }
}

/// One head of `attentionForward`: its columns of `out` and its rows of `logSumExp`, with
/// `scores` as scratch (T·S floats).
func attentionForwardHead(
    _ head: Int, scores: UnsafeMutablePointer<Float>,
    out: UnsafeMutableBufferPointer<Float>, logSumExp: UnsafeMutableBufferPointer<Float>,
    query: UnsafeBufferPointer<Float>, key: UnsafeBufferPointer<Float>, value: UnsafeBufferPointer<Float>,
    configuration c: AttentionConfiguration
) {
    let t = c.queryCount, s = c.keyCount
    let kvHead = head / (c.heads / c.kvHeads)
    attentionProbabilities(
        into: scores, capped: nil, query: query.baseAddress! + head * c.headDim,
        key: key.baseAddress! + kvHead * c.headDim, configuration: c,
        rowLogSumExp: { row, lse in
            logSumExp[head * t + row] = lse
            return lse
        })
    for (rows, keys) in c.rowBlocks() {
        KernelMath.gemm(
            transposeA: false, transposeB: false, m: rows.count, n: c.headDim, k: keys.count,
            a: scores + rows.lowerBound * s + keys.lowerBound, lda: s,
            b: value.baseAddress! + keys.lowerBound * c.keyWidth + kvHead * c.headDim, ldb: c.keyWidth,
            beta: 0, c: out.baseAddress! + rows.lowerBound * c.queryWidth + head * c.headDim, ldc: c.queryWidth)
    }
}

/// Accumulates dQuery, dKey and dValue of `attentionForward`, given its output and logsumexp.
public func attentionBackward(
    dQuery: UnsafeMutableBufferPointer<Float>,
    dKey: UnsafeMutableBufferPointer<Float>,
    dValue: UnsafeMutableBufferPointer<Float>,
    dOut: UnsafeBufferPointer<Float>,
    query: UnsafeBufferPointer<Float>,
    key: UnsafeBufferPointer<Float>,
    value: UnsafeBufferPointer<Float>,
    out: UnsafeBufferPointer<Float>,
    logSumExp: UnsafeBufferPointer<Float>,
    configuration c: AttentionConfiguration
) {
    let t = c.queryCount, s = c.keyCount, d = c.headDim
    precondition(dQuery.count >= t * c.queryWidth && dKey.count >= s * c.keyWidth
        && dValue.count >= s * c.keyWidth && dOut.count >= t * c.queryWidth,
        "attentionBackward: buffers smaller than the shapes")
    guard t > 0 else { return }
    // Each head writes its own dK/dV slab; slabs of a group are summed afterwards in head
    // order, so no two workers share an output and the result does not depend on timing.
    let headKeyGrads = UnsafeMutablePointer<Float>.allocate(capacity: c.headKeyGradientCount)
    defer { headKeyGrads.deallocate() }
    KernelMath.forEachHead(c.heads, scratchCount: c.backwardScratchCount) { head, scratch in
        attentionBackwardHead(head, scratch: scratch, headKeyGradients: headKeyGrads, dQuery: dQuery, dOut: dOut,
                              query: query, key: key, value: value, out: out, logSumExp: logSumExp, configuration: c)
    }
    addHeadKeyGradients(headKeyGrads, dKey: dKey, dValue: dValue, configuration: c)
}

extension AttentionConfiguration {
    /// Floats of the per-head dK and dV slabs of `attentionBackwardHead` (2 · heads · S · headDim).
    var headKeyGradientCount: Int { 2 * heads * keyCount * headDim }
    /// Floats of scratch `attentionBackwardHead` needs.
    var backwardScratchCount: Int { (softCap == nil ? 2 : 3) * queryCount * keyCount }
}

/// One head of `attentionBackward`: adds to its columns of `dQuery` and writes its own dK and dV
/// slabs ([S, headDim] each, at `headKeyGradients` + head · S · headDim and + (heads + head) · S ·
/// headDim), which `addHeadKeyGradients` then sums. `scratch` holds `backwardScratchCount` floats.
func attentionBackwardHead(
    _ head: Int, scratch: UnsafeMutablePointer<Float>, headKeyGradients: UnsafeMutablePointer<Float>,
    dQuery: UnsafeMutableBufferPointer<Float>, dOut: UnsafeBufferPointer<Float>,
    query: UnsafeBufferPointer<Float>, key: UnsafeBufferPointer<Float>, value: UnsafeBufferPointer<Float>,
    out: UnsafeBufferPointer<Float>, logSumExp: UnsafeBufferPointer<Float>,
    configuration c: AttentionConfiguration
) {
    let t = c.queryCount, s = c.keyCount, d = c.headDim
    let slab = s * d
    let kvHead = head / (c.heads / c.kvHeads)
    let q = query.baseAddress! + head * d, k = key.baseAddress! + kvHead * d
    let v = value.baseAddress! + kvHead * d
    let dO = dOut.baseAddress! + head * d, o = out.baseAddress! + head * d
    let probabilities = scratch, dScores = scratch + t * s
    let capped: UnsafeMutablePointer<Float>? = c.softCap == nil ? nil : scratch + 2 * t * s
    attentionProbabilities(
        into: probabilities, capped: capped, query: q, key: k, configuration: c,
        rowLogSumExp: { row, _ in logSumExp[head * t + row] }
    )
    // dP = dO_h·V_gᵀ, then dz = P ⊙ (dP − rowsum(dO ⊙ O)), through the soft-cap if any.
    let blocks = c.rowBlocks()
    for (rows, keys) in blocks {
        KernelMath.gemm(
            transposeA: false, transposeB: true, m: rows.count, n: keys.count, k: d,
            a: dO + rows.lowerBound * c.queryWidth, lda: c.queryWidth,
            b: v + keys.lowerBound * c.keyWidth, ldb: c.keyWidth,
            beta: 0, c: dScores + rows.lowerBound * s + keys.lowerBound, ldc: s)
    }
    KernelMath.forEachChunk(of: t, costPerItem: rowCost(c)) { rows in
    for row in rows {
        let inner = KernelMath.dot(dO + row * c.queryWidth, o + row * c.queryWidth, count: d)
        let p = probabilities + row * s, dz = dScores + row * s
        let visible = c.visibleKeys(ofQuery: row)
        dz.update(repeating: 0, count: visible.lowerBound)
        for j in visible { dz[j] = p[j] * (dz[j] - inner) }
        if let cap = c.softCap, let capped {
            for j in visible {
                let ratio = capped[row * s + j] / cap
                dz[j] *= 1 - ratio * ratio
            }
        }
        (dz + visible.upperBound + 1).update(repeating: 0, count: s - visible.upperBound - 1)
    }
    }
    // dQ_h += scale·dz·K_g (own columns); this head's dK = scale·dzᵀ·Q_h, dV = Pᵀ·dO_h.
    let dK = headKeyGradients + head * slab, dV = headKeyGradients + (c.heads + head) * slab
    dK.update(repeating: 0, count: slab)
    dV.update(repeating: 0, count: slab)
    for (rows, keys) in blocks {
        let z = dScores + rows.lowerBound * s + keys.lowerBound
        let p = probabilities + rows.lowerBound * s + keys.lowerBound
        KernelMath.gemm(
            transposeA: false, transposeB: false, m: rows.count, n: d, k: keys.count, alpha: c.scale,
            a: z, lda: s, b: k + keys.lowerBound * c.keyWidth, ldb: c.keyWidth,
            beta: 1, c: dQuery.baseAddress! + rows.lowerBound * c.queryWidth + head * d, ldc: c.queryWidth)
        KernelMath.gemm(
            transposeA: true, transposeB: false, m: keys.count, n: d, k: rows.count, alpha: c.scale,
            a: z, lda: s, b: q + rows.lowerBound * c.queryWidth, ldb: c.queryWidth,
            beta: 1, c: dK + keys.lowerBound * d, ldc: d)
        KernelMath.gemm(
            transposeA: true, transposeB: false, m: keys.count, n: d, k: rows.count,
            a: p, lda: s, b: dO + rows.lowerBound * c.queryWidth, ldb: c.queryWidth,
            beta: 1, c: dV + keys.lowerBound * d, ldc: d)
    }
}

/// Adds the per-head dK and dV slabs of `attentionBackwardHead` to `dKey` and `dValue`, the heads
/// of each KV group in head order.
func addHeadKeyGradients(
    _ headKeyGradients: UnsafePointer<Float>,
    dKey: UnsafeMutableBufferPointer<Float>, dValue: UnsafeMutableBufferPointer<Float>,
    configuration c: AttentionConfiguration
) {
    let s = c.keyCount, d = c.headDim, slab = s * d, group = c.heads / c.kvHeads
    // Split by key rows (a few KV heads would split unevenly over the cores); each element still
    // gets its heads' shares in head order.
    KernelMath.forEachChunk(of: s, costPerItem: 2 * c.heads * d) { rows in
        for row in rows {
            for kvHead in 0..<c.kvHeads {
                let keyRow = dKey.baseAddress! + row * c.keyWidth + kvHead * d
                let valueRow = dValue.baseAddress! + row * c.keyWidth + kvHead * d
                for head in (kvHead * group)..<((kvHead + 1) * group) {
                    let dK = headKeyGradients + head * slab + row * d
                    let dV = headKeyGradients + (c.heads + head) * slab + row * d
                    for i in 0..<d {
                        keyRow[i] += dK[i]
                        valueRow[i] += dV[i]
                    }
                }
            }
        }
    }
}

/// Fills `probabilities` [T, S] with one head's attention weights (zero outside the window).
///
/// `rowLogSumExp(row, lse)` receives each row's logsumexp in the forward and returns the
/// value to normalise with (the backward passes back the saved one). `capped`, when given,
/// receives the soft-capped scores the backward needs for the cap's derivative.
@inline(__always)
private func attentionProbabilities(
    into probabilities: UnsafeMutablePointer<Float>,
    capped: UnsafeMutablePointer<Float>?,
    query: UnsafePointer<Float>, key: UnsafePointer<Float>,
    configuration c: AttentionConfiguration,
    rowLogSumExp: (Int, Float) -> Float
) {
    let t = c.queryCount, s = c.keyCount
    // Scores only where a block of rows can see; the row loop zeroes everything outside each
    // row's own window.
    for (rows, keys) in c.rowBlocks() {
        KernelMath.gemm(
            transposeA: false, transposeB: true, m: rows.count, n: keys.count, k: c.headDim, alpha: c.scale,
            a: query + rows.lowerBound * c.queryWidth, lda: c.queryWidth,
            b: key + keys.lowerBound * c.keyWidth, ldb: c.keyWidth,
            beta: 0, c: probabilities + rows.lowerBound * s + keys.lowerBound, ldc: s)
    }
    KernelMath.forEachChunk(of: t, costPerItem: rowCost(c)) { rows in
    for row in rows {
        let z = probabilities + row * s
        let visible = c.visibleKeys(ofQuery: row)
        if let cap = c.softCap {
            for j in visible { z[j] = cap * Foundation.tanh(z[j] / cap) }
            if let capped { (capped + row * s + visible.lowerBound).update(from: z + visible.lowerBound, count: visible.count) }
        }
        let first = z + visible.lowerBound
        let shift = KernelMath.maximum(first, count: visible.count)
        let lse = rowLogSumExp(row, shift + Foundation.log(KernelMath.sumOfExp(first, count: visible.count, shift: shift)))
        if visible.lowerBound > 0 { z.update(repeating: 0, count: visible.lowerBound) }
        KernelMath.writeExp(first, to: first, count: visible.count, shift: lse)
        if visible.upperBound + 1 < s {
            (z + visible.upperBound + 1).update(repeating: 0, count: s - visible.upperBound - 1)
        }
    }
    }
}

/// Work per query row for splitting rows over cores; 0 (serial) when heads already run concurrently.
@inline(__always)
private func rowCost(_ c: AttentionConfiguration) -> Int {
    KernelMath.headsConcurrently ? 0 : c.keyCount * 8
}
