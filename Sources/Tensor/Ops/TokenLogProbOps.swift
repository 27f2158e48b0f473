// Differentiable log-probability of target tokens through the LM head, chunked so [T, V]
// logits never exist (Kernels/TokenLogProbKernels.swift).

/// What `tokenLogProbs` returns.
public struct TokenLogProbs {
    /// log p(target_t) per row, [T]; differentiable with respect to hidden and weight.
    public let logProbs: Tensor
    /// logsumexp of each row's (transformed) logits, [T]; no gradient.
    public let logSumExp: Tensor
    /// Entropy of each row's distribution, [T], when asked for; no gradient.
    public let entropy: Tensor?
}

/// log softmax(z_t)[targets[t]] with z = transform(hidden·weightᵀ) for hidden [T, dim] and
/// weight [V, dim], chunk by chunk; the backward recomputes each chunk's logits. A negative
/// target gives log-prob 0 and no gradient.
public func tokenLogProbs(hidden: Tensor, weight: Tensor, targets: [Int],
                          options: TokenLogProbOptions = TokenLogProbOptions(),
                          computeEntropy: Bool = false) -> TokenLogProbs {
    precondition(weight.rank == 2 && weight.shape[1] == hidden.lastDimension,
                 "tokenLogProbs: weight \(weight.shape) does not match hidden \(hidden.shape)")
    let rows = hidden.rowCount, dim = hidden.lastDimension, vocabulary = weight.shape[0]
    precondition(targets.count == rows, "tokenLogProbs: \(targets.count) targets for \(rows) rows")
    let targetIndices = int32Indices(targets, name: "tokenLogProbs target")
    precondition(targetIndices.allSatisfy { $0 < vocabulary }, "tokenLogProbs: a target is ≥ the vocabulary \(vocabulary)")
    let logProbs = Tensor(zeros: [rows]), logSumExp = Tensor(zeros: [rows])
    let entropy = computeEntropy ? Tensor(zeros: [rows]) : nil
    logProbs.withUnsafeMutableBufferPointer { lp in
        logSumExp.withUnsafeMutableBufferPointer { lse in
            withBuffers(hidden, weight) { h, w in
                targetIndices.withUnsafeBufferPointer { t in
                    let forward = { (entropyBuffer: UnsafeMutableBufferPointer<Float>?) in
                        tokenLogProbForward(logProbs: lp, logSumExp: lse, entropy: entropyBuffer, hidden: h,
                                            weight: w, targets: t, rows: rows, dim: dim,
                                            vocabulary: vocabulary, options: options)
                    }
                    if let entropy { entropy.withUnsafeMutableBufferPointer { forward($0) } } else { forward(nil) }
                }
            }
        }
    }
    let savedLogSumExp = logSumExp.detach()
    Tensor.record(logProbs, inputs: [hidden, weight]) { outGrad in
        outGrad.withUnsafeBufferPointer { dLogProbs in
            withBuffers(hidden, weight) { h, w in
                savedLogSumExp.withUnsafeBufferPointer { lse in
                    targetIndices.withUnsafeBufferPointer { t in
                        withOptionalGradient(hidden) { dHidden in
                            withOptionalGradient(weight) { dWeight in
                                tokenLogProbBackward(dHidden: dHidden, dWeight: dWeight, dLogProbs: dLogProbs,
                                                     dLogSumExp: nil, hidden: h, weight: w, targets: t,
                                                     logSumExp: lse, rows: rows, dim: dim,
                                                     vocabulary: vocabulary, options: options)
                            }
                        }
                    }
                }
            }
        }
    }
    return TokenLogProbs(logProbs: logProbs, logSumExp: logSumExp, entropy: entropy)
}

/// `tokenLogProbs` for a FROZEN head (LoRA training: the head or tied embedding gets no
/// gradient). When recording, the forward also accumulates each row's expected head row
/// g_t = Σ_v p_tv·c′(a_tv)·W_v while the logits tile is in cache (2 products per tile), so the
/// backward is d hidden_t = dlogp_t·logitScale/temperature·(c′(a_t,target)·W_target − g_t), with
/// no product at all (the plain op runs 1 product forward and 2 backward). `weight` is read only.
public func frozenHeadTokenLogProbs(hidden: Tensor, weight: Tensor, targets: [Int],
                                    options: TokenLogProbOptions = TokenLogProbOptions(),
                                    computeEntropy: Bool = false) -> TokenLogProbs {
    guard Tensor.isRecording([hidden]) else {
        return Autograd.noGrad {
            tokenLogProbs(hidden: hidden, weight: weight, targets: targets, options: options, computeEntropy: computeEntropy)
        }
    }
    precondition(weight.rank == 2 && weight.shape[1] == hidden.lastDimension,
                 "frozenHeadTokenLogProbs: weight \(weight.shape) does not match hidden \(hidden.shape)")
    let rows = hidden.rowCount, dim = hidden.lastDimension, vocabulary = weight.shape[0]
    precondition(targets.count == rows, "frozenHeadTokenLogProbs: \(targets.count) targets for \(rows) rows")
    let targetIndices = int32Indices(targets, name: "frozenHeadTokenLogProbs target")
    precondition(targetIndices.allSatisfy { $0 < vocabulary }, "frozenHeadTokenLogProbs: a target is ≥ the vocabulary \(vocabulary)")
    let logProbs = Tensor(zeros: [rows]), logSumExp = Tensor(zeros: [rows])
    let entropy = computeEntropy ? Tensor(zeros: [rows]) : nil
    let expectedRows = Tensor(zeros: [rows, dim]), targetSlopes = Tensor(zeros: [rows])
    logProbs.withUnsafeMutableBufferPointer { lp in
        logSumExp.withUnsafeMutableBufferPointer { lse in
            expectedRows.withUnsafeMutableBufferPointer { g in
                targetSlopes.withUnsafeMutableBufferPointer { slopes in
                    withBuffers(hidden, weight) { h, w in
                        targetIndices.withUnsafeBufferPointer { t in
                            let forward = { (entropyBuffer: UnsafeMutableBufferPointer<Float>?) in
                                tokenLogProbForward(logProbs: lp, logSumExp: lse, entropy: entropyBuffer, hidden: h,
                                                    weight: w, targets: t, rows: rows, dim: dim,
                                                    vocabulary: vocabulary, options: options, frozenHead: (g, slopes))
                            }
                            if let entropy { entropy.withUnsafeMutableBufferPointer { forward($0) } } else { forward(nil) }
                        }
                    }
                }
            }
        }
    }
    Tensor.record(logProbs, inputs: [hidden]) { outGrad in
        hidden.withGradient { dHidden in
            outGrad.withUnsafeBufferPointer { dLogProbs in
                withBuffers(expectedRows, targetSlopes) { g, slopes in
                    weight.withUnsafeBufferPointer { w in
                        targetIndices.withUnsafeBufferPointer { t in
                            frozenHeadTokenLogProbBackward(dHidden: dHidden, dLogProbs: dLogProbs, weight: w, targets: t,
                                                           expectedRows: g, targetSlopes: slopes, rows: rows, dim: dim,
                                                           vocabulary: vocabulary, options: options)
                        }
                    }
                }
            }
        }
    }
    return TokenLogProbs(logProbs: logProbs, logSumExp: logSumExp, entropy: entropy)
}
