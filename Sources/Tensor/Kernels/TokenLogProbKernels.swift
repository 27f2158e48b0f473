import Foundation

// Log-probability of each target token under the LM head, without ever holding [T, V]
// logits. The [T, V] logits are visited in tiles of [chunkRows, chunkColumns], one sgemm per
// tile into a reused buffer; the forward merges tiles with a running (max, Σexp) logsumexp,
// the backward recomputes each tile. Tall row chunks let each product stream W only once
// per row chunk (not once per few rows).
//
//   a = logitScale·h·Wᵀ,  c = softCap·tanh(a/softCap) (if set),  z = c/temperature,
//   logp[t] = z[t, target_t] − logsumexp(z[t, :]),  entropy[t] = −Σ p·log p.

/// Options of the chunked target log-probability (TRL's `chunked_logprob` transform).
public struct TokenLogProbOptions: Sendable, Equatable {
    /// Multiplies h·Wᵀ first (some models' `logit_scale`).
    public var logitScale: Float
    /// Final-logit soft-capping (Gemma 2's `final_logit_softcapping`), or nil.
    public var softCap: Float?
    /// Divides the (capped) logits; training log-probs use the sampling temperature.
    public var temperature: Float
    /// Rows per tile; nil takes up to 1024 rows.
    public var chunkRows: Int?
    /// Vocabulary entries per tile; nil fills a ≈32 MB tile.
    public var chunkColumns: Int?

    /// Bytes of logits one tile may hold when `chunkColumns` is not given.
    public static let tileBudgetBytes = 32 << 20

    public init(logitScale: Float = 1, softCap: Float? = nil, temperature: Float = 1,
                chunkRows: Int? = nil, chunkColumns: Int? = nil) {
        self.logitScale = logitScale
        self.softCap = softCap
        self.temperature = temperature
        self.chunkRows = chunkRows
        self.chunkColumns = chunkColumns
    }

    /// The tile shape used for `rows` rows over a vocabulary of `vocabulary`.
    public func tileShape(rows: Int, vocabulary: Int) -> (rows: Int, columns: Int) {
        let tileRows = max(1, min(rows, chunkRows ?? 1024))
        let fitting = TokenLogProbOptions.tileBudgetBytes / (MemoryLayout<Float>.size * tileRows)
        let automatic = max(64, fitting / 64 * 64)
        return (tileRows, max(1, min(vocabulary, chunkColumns ?? automatic)))
    }

    /// Bytes of scratch the forward or the backward allocates (one tile of logits).
    public func scratchBytes(rows: Int, vocabulary: Int) -> Int {
        let tile = tileShape(rows: rows, vocabulary: vocabulary)
        return tile.rows * tile.columns * MemoryLayout<Float>.size
    }
}

/// logProbs[t] = log softmax(z[t])[targets[t]] for hidden [T, dim] and weight [V, dim];
/// also writes logsumexp(z[t]) (needed by the backward) and, when asked, the entropy.
///
/// A negative target marks a row to skip: its log-prob is 0 and it gets no gradient.
///
/// With `frozenHead` (zero-filled [rows, dim] and [rows] buffers) it also writes, per row, the
/// expected head row g = Σ_v p_v·c′(a_v)·W_v and the target's c′(a_target) (c′ = 1 − (c/softCap)²,
/// or 1), accumulated tile by tile while each logits tile is in cache (one more product per
/// tile), so that `frozenHeadTokenLogProbBackward` needs no product.
public func tokenLogProbForward(
    logProbs: UnsafeMutableBufferPointer<Float>,
    logSumExp: UnsafeMutableBufferPointer<Float>,
    entropy: UnsafeMutableBufferPointer<Float>?,
    hidden: UnsafeBufferPointer<Float>,
    weight: UnsafeBufferPointer<Float>,
    targets: UnsafeBufferPointer<Int32>,
    rows: Int, dim: Int, vocabulary: Int,
    options: TokenLogProbOptions = TokenLogProbOptions(),
    frozenHead: (expectedRows: UnsafeMutableBufferPointer<Float>, targetSlopes: UnsafeMutableBufferPointer<Float>)? = nil
) {
    tokenLogProbForward(logProbs: logProbs, logSumExp: logSumExp, entropy: entropy, hidden: hidden,
                        head: TokenLogProbHead(float32: weight, vocabulary: vocabulary, dim: dim), targets: targets,
                        rows: rows, options: options, frozenHead: frozenHead)
}

/// `tokenLogProbForward` over a head that may be quantized: each vocabulary tile of its rows is
/// read in place or dequantized into one reused buffer, with the same tiles and sums as the
/// Float32 table gives.
public func tokenLogProbForward(
    logProbs: UnsafeMutableBufferPointer<Float>,
    logSumExp: UnsafeMutableBufferPointer<Float>,
    entropy: UnsafeMutableBufferPointer<Float>?,
    hidden: UnsafeBufferPointer<Float>,
    head: TokenLogProbHead,
    targets: UnsafeBufferPointer<Int32>,
    rows: Int,
    options: TokenLogProbOptions = TokenLogProbOptions(),
    frozenHead: (expectedRows: UnsafeMutableBufferPointer<Float>, targetSlopes: UnsafeMutableBufferPointer<Float>)? = nil
) {
    let dim = head.dim, vocabulary = head.vocabulary
    precondition(logProbs.count >= rows && logSumExp.count >= rows && targets.count >= rows
        && hidden.count >= rows * dim
        && (entropy?.count ?? rows) >= rows
        && (frozenHead?.expectedRows.count ?? rows * dim) >= rows * dim
        && (frozenHead?.targetSlopes.count ?? rows) >= rows, "tokenLogProbForward: buffers smaller than the shapes")
    guard rows > 0, vocabulary > 0 else { return }
    for row in 0..<rows {
        precondition(Int(targets[row]) < vocabulary, "tokenLogProb: target \(targets[row]) outside 0..<\(vocabulary)")
    }
    let tile = options.tileShape(rows: rows, vocabulary: vocabulary)
    let logits = UnsafeMutablePointer<Float>.allocate(capacity: tile.rows * tile.columns)
    let weightTile = head.allocateTileScratch(rows: tile.columns, productRows: lastRowChunk(rows, tileRows: tile.rows))
    defer {
        logits.deallocate()
        weightTile?.deallocate()
    }
    // Per row: running maximum, Σ exp(z − max), Σ exp(z − max)·z, and the target's logit.
    var running = [RunningLogSumExp](repeating: RunningLogSumExp(), count: tile.rows)
    for rowStart in stride(from: 0, to: rows, by: tile.rows) {
        let rowCount = min(tile.rows, rows - rowStart)
        for i in 0..<rowCount { running[i] = RunningLogSumExp() }
        for columnStart in stride(from: 0, to: vocabulary, by: tile.columns) {
            let columnCount = min(tile.columns, vocabulary - columnStart)
            let w = head.tile(columnStart ..< columnStart + columnCount, productRows: rowCount, scratch: weightTile)
            tileLogits(into: logits, hidden: hidden.baseAddress! + rowStart * dim, weight: w,
                       rows: rowCount, columns: columnCount, dim: dim, options: options)
            running.withUnsafeMutableBufferPointer { state in
                KernelMath.forEachChunk(of: rowCount, costPerItem: columnCount) { range in
                    for local in range {
                        let z = logits + local * columnCount
                        let previousMaximum = state[local].maximum
                        state[local].merge(z, count: columnCount, withWeightedSum: entropy != nil)
                        let target = Int(targets[rowStart + local]) - columnStart
                        if target >= 0 && target < columnCount { state[local].targetLogit = z[target] }
                        if let frozenHead {
                            // The tile's share of g, in the same shifted scale as `total`: rescale
                            // what earlier tiles added when the maximum rose, then z → exp(z − max)·c′.
                            let maximum = state[local].maximum
                            let g = frozenHead.expectedRows.baseAddress! + (rowStart + local) * dim
                            if previousMaximum > -.infinity && maximum > previousMaximum {
                                let rescale = Foundation.exp(previousMaximum - maximum)
                                for i in 0..<dim { g[i] *= rescale }
                            }
                            if let cap = options.softCap {
                                for j in 0..<columnCount {
                                    let ratio = z[j] * options.temperature / cap
                                    z[j] = KernelMath.scalarExp(z[j] - maximum) * (1 - ratio * ratio)
                                }
                            } else {
                                KernelMath.writeExp(z, to: z, count: columnCount, shift: maximum, scale: 1)
                            }
                        }
                    }
                }
            }
            if let frozenHead {
                w.multiply(transposed: false, m: rowCount, alpha: 1, a: logits, lda: columnCount, beta: 1,
                           c: frozenHead.expectedRows.baseAddress! + rowStart * dim, ldc: dim)
            }
        }
        for local in 0..<rowCount {
            let row = rowStart + local, state = running[local]
            let lse = state.maximum + Foundation.log(state.total)
            logSumExp[row] = lse
            logProbs[row] = targets[row] < 0 ? 0 : state.targetLogit - lse
            // H = lse − E_p[z].
            entropy?[row] = lse - state.weighted / state.total
            if let frozenHead {
                let g = frozenHead.expectedRows.baseAddress! + row * dim, inverseTotal = 1 / state.total
                for i in 0..<dim { g[i] *= inverseTotal }
                let capRatio = options.softCap.map { state.targetLogit * options.temperature / $0 } ?? 0
                frozenHead.targetSlopes[row] = targets[row] < 0 ? 0 : 1 - capRatio * capRatio
            }
        }
    }
}

/// Accumulates dHidden (and dWeight unless nil) from dLogProbs[T] and, optionally,
/// dLogSumExp[T] (for losses that also use the logsumexp). The entropy has no gradient.
public func tokenLogProbBackward(
    dHidden: UnsafeMutableBufferPointer<Float>?,
    dWeight: UnsafeMutableBufferPointer<Float>?,
    dLogProbs: UnsafeBufferPointer<Float>,
    dLogSumExp: UnsafeBufferPointer<Float>?,
    hidden: UnsafeBufferPointer<Float>,
    weight: UnsafeBufferPointer<Float>,
    targets: UnsafeBufferPointer<Int32>,
    logSumExp: UnsafeBufferPointer<Float>,
    rows: Int, dim: Int, vocabulary: Int,
    options: TokenLogProbOptions = TokenLogProbOptions()
) {
    tokenLogProbBackward(dHidden: dHidden, dWeight: dWeight, dLogProbs: dLogProbs, dLogSumExp: dLogSumExp,
                         hidden: hidden, head: TokenLogProbHead(float32: weight, vocabulary: vocabulary, dim: dim),
                         targets: targets, logSumExp: logSumExp, rows: rows, options: options)
}

/// `tokenLogProbBackward` over a head that may be quantized (then `dWeight` must be nil: a
/// quantized table is frozen).
public func tokenLogProbBackward(
    dHidden: UnsafeMutableBufferPointer<Float>?,
    dWeight: UnsafeMutableBufferPointer<Float>?,
    dLogProbs: UnsafeBufferPointer<Float>,
    dLogSumExp: UnsafeBufferPointer<Float>?,
    hidden: UnsafeBufferPointer<Float>,
    head: TokenLogProbHead,
    targets: UnsafeBufferPointer<Int32>,
    logSumExp: UnsafeBufferPointer<Float>,
    rows: Int,
    options: TokenLogProbOptions = TokenLogProbOptions()
) {
    let dim = head.dim, vocabulary = head.vocabulary
    guard rows > 0, vocabulary > 0, dim > 0, dHidden != nil || dWeight != nil else { return }
    precondition((dHidden?.count ?? rows * dim) >= rows * dim
        && (dWeight?.count ?? vocabulary * dim) >= vocabulary * dim,
        "tokenLogProbBackward: buffers smaller than the shapes")
    precondition(dWeight == nil || !head.isQuantized, "tokenLogProbBackward: a quantized head gets no gradient")
    let tile = options.tileShape(rows: rows, vocabulary: vocabulary)
    let logits = UnsafeMutablePointer<Float>.allocate(capacity: tile.rows * tile.columns)
    let weightTile = head.allocateTileScratch(rows: tile.columns, productRows: lastRowChunk(rows, tileRows: tile.rows))
    defer {
        logits.deallocate()
        weightTile?.deallocate()
    }
    let inverseTemperature = 1 / options.temperature
    for rowStart in stride(from: 0, to: rows, by: tile.rows) {
        let rowCount = min(tile.rows, rows - rowStart)
        let h = hidden.baseAddress! + rowStart * dim
        for columnStart in stride(from: 0, to: vocabulary, by: tile.columns) {
            let columnCount = min(tile.columns, vocabulary - columnStart)
            let w = head.tile(columnStart ..< columnStart + columnCount, productRows: rowCount, scratch: weightTile)
            tileLogits(into: logits, hidden: h, weight: w, rows: rowCount, columns: columnCount,
                       dim: dim, options: options)
            // In place: z → dz = onehot·dlogp + p·(dlse − dlogp) → da (through temperature and cap).
            KernelMath.forEachChunk(of: rowCount, costPerItem: columnCount) { range in
                for local in range {
                    let row = rowStart + local, z = logits + local * columnCount
                    let target = Int(targets[row]) - columnStart
                    let dLogProb = targets[row] < 0 ? 0 : dLogProbs[row]
                    let dLSE = dLogSumExp?[row] ?? 0
                    let lse = logSumExp[row]
                    let weightOfP = (dLSE - dLogProb) * inverseTemperature
                    let targetInTile = target >= 0 && target < columnCount
                    if let cap = options.softCap {
                        // a's gradient is dz/T·(1 − (c/cap)²) with c = z·T.
                        for j in 0..<columnCount {
                            let ratio = z[j] * options.temperature / cap
                            let onehot: Float = targetInTile && j == target ? dLogProb * inverseTemperature : 0
                            z[j] = (onehot + weightOfP * KernelMath.scalarExp(z[j] - lse)) * (1 - ratio * ratio)
                        }
                    } else {
                        KernelMath.writeExp(z, to: z, count: columnCount, shift: lse, scale: weightOfP)
                        if targetInTile { z[target] += dLogProb * inverseTemperature }
                    }
                }
            }
            if let dHidden {
                w.multiply(transposed: false, m: rowCount, alpha: options.logitScale, a: logits, lda: columnCount,
                           beta: 1, c: dHidden.baseAddress! + rowStart * dim, ldc: dim)
            }
            if let dWeight {
                KernelMath.gemm(
                    transposeA: true, transposeB: false, m: columnCount, n: dim, k: rowCount,
                    alpha: options.logitScale, a: logits, lda: columnCount, b: h, ldb: dim,
                    beta: 1, c: dWeight.baseAddress! + columnStart * dim, ldc: dim)
            }
        }
    }
}

/// dHidden += d hidden of the log-probs through a frozen head, from what the forward saved with
/// `frozenHead`: dHidden_t += dLogProbs_t · logitScale/temperature · (c′_t·W[target_t] − g_t).
/// O(rows·dim): no logits are recomputed. Rows with a negative target get nothing.
public func frozenHeadTokenLogProbBackward(
    dHidden: UnsafeMutableBufferPointer<Float>,
    dLogProbs: UnsafeBufferPointer<Float>,
    weight: UnsafeBufferPointer<Float>,
    targets: UnsafeBufferPointer<Int32>,
    expectedRows: UnsafeBufferPointer<Float>,
    targetSlopes: UnsafeBufferPointer<Float>,
    rows: Int, dim: Int, vocabulary: Int,
    options: TokenLogProbOptions = TokenLogProbOptions()
) {
    frozenHeadTokenLogProbBackward(dHidden: dHidden, dLogProbs: dLogProbs,
                                   head: TokenLogProbHead(float32: weight, vocabulary: vocabulary, dim: dim),
                                   targets: targets, expectedRows: expectedRows, targetSlopes: targetSlopes,
                                   rows: rows, options: options)
}

/// `frozenHeadTokenLogProbBackward` over a head that may be quantized: only the target rows are
/// dequantized (one at a time, into a per-worker row).
public func frozenHeadTokenLogProbBackward(
    dHidden: UnsafeMutableBufferPointer<Float>,
    dLogProbs: UnsafeBufferPointer<Float>,
    head: TokenLogProbHead,
    targets: UnsafeBufferPointer<Int32>,
    expectedRows: UnsafeBufferPointer<Float>,
    targetSlopes: UnsafeBufferPointer<Float>,
    rows: Int,
    options: TokenLogProbOptions = TokenLogProbOptions()
) {
    let dim = head.dim
    precondition(dHidden.count >= rows * dim && dLogProbs.count >= rows && targets.count >= rows
        && expectedRows.count >= rows * dim && targetSlopes.count >= rows,
        "frozenHeadTokenLogProbBackward: buffers smaller than the shapes")
    let factor = options.logitScale / options.temperature
    KernelMath.forEachChunk(of: rows, costPerItem: dim) { range in
        let targetRow = head.allocateScratch(rows: 1)
        defer { targetRow?.deallocate() }
        for row in range where targets[row] >= 0 {
            let scale = dLogProbs[row] * factor, slope = targetSlopes[row] * scale
            let target = Int(targets[row])
            let w = head.rows(target ..< target + 1, scratch: targetRow), g = expectedRows.baseAddress! + row * dim
            let d = dHidden.baseAddress! + row * dim
            for i in 0..<dim { d[i] += slope * w[i] - scale * g[i] }
        }
    }
}

/// A row's logsumexp accumulated tile by tile (the online softmax normaliser).
private struct RunningLogSumExp {
    var maximum: Float = -.infinity
    /// Σ exp(z − maximum).
    var total: Float = 0
    /// Σ exp(z − maximum)·z, for the entropy.
    var weighted: Float = 0
    var targetLogit: Float = 0

    /// Folds `count` more logits in.
    @inline(__always)
    mutating func merge(_ z: UnsafePointer<Float>, count: Int, withWeightedSum: Bool) {
        let tileMaximum = KernelMath.maximum(z, count: count)
        if tileMaximum > maximum {
            // exp(−∞) is 0 for the first tile.
            let rescale = Foundation.exp(maximum - tileMaximum)
            total *= rescale
            weighted *= rescale
            maximum = tileMaximum
        }
        if withWeightedSum {
            let (sum, weightedSum) = KernelMath.sumOfExpAndWeighted(z, count: count, shift: maximum)
            total += sum
            weighted += weightedSum
        } else {
            total += KernelMath.sumOfExp(z, count: count, shift: maximum)
        }
    }
}

/// Rows of the last (smallest) row chunk when `rows` rows are visited `tileRows` at a time.
private func lastRowChunk(_ rows: Int, tileRows: Int) -> Int {
    rows % tileRows == 0 ? tileRows : rows % tileRows
}

/// z[rows, columns] = transform(logitScale · hidden·W_tileᵀ) for one tile (W_tile: [columns, dim]).
private func tileLogits(
    into z: UnsafeMutablePointer<Float>, hidden: UnsafePointer<Float>, weight: TokenLogProbHeadTile,
    rows: Int, columns: Int, dim: Int, options: TokenLogProbOptions
) {
    let alpha = options.logitScale / (options.softCap == nil ? options.temperature : 1)
    weight.multiply(transposed: true, m: rows, alpha: alpha, a: hidden, lda: dim, beta: 0, c: z, ldc: columns)
    guard let cap = options.softCap else { return }
    let inverseTemperature = 1 / options.temperature
    KernelMath.forEachChunk(of: rows * columns, costPerItem: 8) { range in
        for i in range { z[i] = cap * Foundation.tanh(z[i] / cap) * inverseTemperature }
    }
}
