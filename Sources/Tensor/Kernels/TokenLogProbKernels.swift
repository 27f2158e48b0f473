import Foundation

// Log-probability of each target token under the LM head, without ever holding [T, V]
// logits: rows are processed in chunks of `chunkRows`, each chunk's logits computed by one
// sgemm into a reused [chunkRows, V] buffer, reduced, and (in the backward) recomputed.
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
    /// Rows per chunk; nil picks enough rows for a ≈32 MB logits buffer (each chunk's product
    /// streams all of W, so fewer, taller chunks are faster).
    public var chunkRows: Int?

    public init(logitScale: Float = 1, softCap: Float? = nil, temperature: Float = 1, chunkRows: Int? = nil) {
        self.logitScale = logitScale
        self.softCap = softCap
        self.temperature = temperature
        self.chunkRows = chunkRows
    }

    /// The rows per chunk used for `rows` rows over a vocabulary of `vocabulary`.
    public func resolvedChunkRows(rows: Int, vocabulary: Int) -> Int {
        let automatic = (32 << 20) / (MemoryLayout<Float>.size * max(1, vocabulary))
        return max(1, min(rows, chunkRows ?? max(8, min(512, automatic))))
    }

    /// Bytes of scratch the forward or backward allocates (one [chunkRows, V] buffer).
    public func scratchBytes(rows: Int, vocabulary: Int) -> Int {
        resolvedChunkRows(rows: rows, vocabulary: vocabulary) * vocabulary * MemoryLayout<Float>.size
    }
}

/// logProbs[t] = log softmax(z[t])[targets[t]] for hidden [T, dim] and weight [V, dim];
/// also writes logsumexp(z[t]) (needed by the backward) and, when asked, the entropy.
///
/// A negative target marks a row to skip: its log-prob is 0 and it gets no gradient.
public func tokenLogProbForward(
    logProbs: UnsafeMutableBufferPointer<Float>,
    logSumExp: UnsafeMutableBufferPointer<Float>,
    entropy: UnsafeMutableBufferPointer<Float>?,
    hidden: UnsafeBufferPointer<Float>,
    weight: UnsafeBufferPointer<Float>,
    targets: UnsafeBufferPointer<Int32>,
    rows: Int, dim: Int, vocabulary: Int,
    options: TokenLogProbOptions = TokenLogProbOptions()
) {
    precondition(logProbs.count >= rows && logSumExp.count >= rows && targets.count >= rows
        && hidden.count >= rows * dim && weight.count >= vocabulary * dim
        && (entropy?.count ?? rows) >= rows, "tokenLogProbForward: buffers smaller than the shapes")
    guard rows > 0, vocabulary > 0 else { return }
    let chunk = options.resolvedChunkRows(rows: rows, vocabulary: vocabulary)
    let logits = UnsafeMutablePointer<Float>.allocate(capacity: chunk * vocabulary)
    defer { logits.deallocate() }
    for start in stride(from: 0, to: rows, by: chunk) {
        let count = min(chunk, rows - start)
        chunkLogits(into: logits, hidden: hidden.baseAddress! + start * dim, weight: weight.baseAddress!,
                    rows: count, dim: dim, vocabulary: vocabulary, options: options)
        KernelMath.forEachChunk(of: count, costPerItem: vocabulary) { range in
            for local in range {
                let row = start + local, z = logits + local * vocabulary
                let shift = KernelMath.maximum(z, count: vocabulary)
                let (total, weighted) = entropy == nil
                    ? (KernelMath.sumOfExp(z, count: vocabulary, shift: shift), 0)
                    : KernelMath.sumOfExpAndWeighted(z, count: vocabulary, shift: shift)
                let lse = shift + Foundation.log(total)
                logSumExp[row] = lse
                let target = Int(targets[row])
                precondition(target < vocabulary, "tokenLogProb: target \(target) outside 0..<\(vocabulary)")
                logProbs[row] = target < 0 ? 0 : z[target] - lse
                // H = lse − E_p[z].
                entropy?[row] = lse - weighted / total
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
    guard rows > 0, vocabulary > 0, dim > 0, dHidden != nil || dWeight != nil else { return }
    precondition((dHidden?.count ?? rows * dim) >= rows * dim
        && (dWeight?.count ?? vocabulary * dim) >= vocabulary * dim,
        "tokenLogProbBackward: buffers smaller than the shapes")
    let chunk = options.resolvedChunkRows(rows: rows, vocabulary: vocabulary)
    let logits = UnsafeMutablePointer<Float>.allocate(capacity: chunk * vocabulary)
    defer { logits.deallocate() }
    let inverseTemperature = 1 / options.temperature
    for start in stride(from: 0, to: rows, by: chunk) {
        let count = min(chunk, rows - start)
        chunkLogits(into: logits, hidden: hidden.baseAddress! + start * dim, weight: weight.baseAddress!,
                    rows: count, dim: dim, vocabulary: vocabulary, options: options)
        // In place: z → dz = onehot·dlogp + p·(dlse − dlogp) → da (through temperature and cap).
        KernelMath.forEachChunk(of: count, costPerItem: vocabulary) { range in
            for local in range {
                let row = start + local, z = logits + local * vocabulary
                let target = Int(targets[row])
                let dLogProb = target < 0 ? 0 : dLogProbs[row]
                let dLSE = dLogSumExp?[row] ?? 0
                let weightOfP = (dLSE - dLogProb) * inverseTemperature
                if let cap = options.softCap {
                    // a's gradient is dz/T·(1 − (c/cap)²) with c = z·T.
                    for j in 0..<vocabulary {
                        let ratio = z[j] * options.temperature / cap
                        let onehot: Float = j == target ? dLogProb * inverseTemperature : 0
                        z[j] = (onehot + weightOfP * KernelMath.scalarExp(z[j] - logSumExp[row]))
                            * (1 - ratio * ratio)
                    }
                } else {
                    let zTarget = target >= 0 ? z[target] : 0
                    KernelMath.writeExp(z, to: z, count: vocabulary, shift: logSumExp[row], scale: weightOfP)
                    if target >= 0 {
                        let p = KernelMath.scalarExp(zTarget - logSumExp[row])
                        z[target] = dLogProb * inverseTemperature + weightOfP * p
                    }
                }
            }
        }
        let h = hidden.baseAddress! + start * dim
        if let dHidden {
            KernelMath.gemm(
                transposeA: false, transposeB: false, m: count, n: dim, k: vocabulary,
                alpha: options.logitScale, a: logits, lda: vocabulary, b: weight.baseAddress!, ldb: dim,
                beta: 1, c: dHidden.baseAddress! + start * dim, ldc: dim)
        }
        if let dWeight {
            KernelMath.gemm(
                transposeA: true, transposeB: false, m: vocabulary, n: dim, k: count,
                alpha: options.logitScale, a: logits, lda: vocabulary, b: h, ldb: dim,
                beta: 1, c: dWeight.baseAddress!, ldc: dim)
        }
    }
}

/// z[rows, V] = transform(logitScale · hidden·Wᵀ) for one chunk of rows.
private func chunkLogits(
    into z: UnsafeMutablePointer<Float>, hidden: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    rows: Int, dim: Int, vocabulary: Int, options: TokenLogProbOptions
) {
    KernelMath.gemm(
        transposeA: false, transposeB: true, m: rows, n: vocabulary, k: dim,
        alpha: options.logitScale / (options.softCap == nil ? options.temperature : 1),
        a: hidden, lda: dim, b: weight, ldb: dim, beta: 0, c: z, ldc: vocabulary)
    guard let cap = options.softCap else { return }
    let inverseTemperature = 1 / options.temperature
    KernelMath.forEachChunk(of: rows * vocabulary, costPerItem: 8) { range in
        for i in range { z[i] = cap * Foundation.tanh(z[i] / cap) * inverseTemperature }
    }
}
