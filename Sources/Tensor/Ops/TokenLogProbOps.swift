// Differentiable log-probability of target tokens through the LM head, chunked so [T, V]
// logits never exist (Kernels/TokenLogProbKernels.swift). The head is a Float32 tensor or a
// quantized table read tile by tile (Kernels/TokenLogProbHead.swift).

/// What `tokenLogProbs` returns.
public struct TokenLogProbs {
    /// log p(target_t) per row, [T]; differentiable with respect to hidden and weight.
    public let logProbs: Tensor
    /// logsumexp of each row's (transformed) logits, [T]; no gradient.
    public let logSumExp: Tensor
    /// Entropy of each row's distribution, [T], when asked for; no gradient.
    public let entropy: Tensor?
}

/// The head an op reads: a Float32 tensor (which may get a gradient) or frozen quantized rows.
private enum HeadWeight {
    case tensor(Tensor)
    case blocks(QuantizedMatrix)

    var shape: [Int] {
        switch self {
        case let .tensor(weight): return weight.shape
        case let .blocks(matrix): return matrix.shape
        }
    }

    func withHead<R>(_ body: (TokenLogProbHead) -> R) -> R {
        switch self {
        case let .tensor(weight):
            return weight.withUnsafeBufferPointer {
                body(TokenLogProbHead(float32: $0, vocabulary: weight.shape[0], dim: weight.shape[1]))
            }
        case let .blocks(matrix):
            return body(TokenLogProbHead(blocks: matrix))
        }
    }
}

/// log softmax(z_t)[targets[t]] with z = transform(hidden·weightᵀ) for hidden [T, dim] and
/// weight [V, dim], chunk by chunk; the backward recomputes each chunk's logits. A negative
/// target gives log-prob 0 and no gradient.
public func tokenLogProbs(hidden: Tensor, weight: Tensor, targets: [Int],
                          options: TokenLogProbOptions = TokenLogProbOptions(),
                          computeEntropy: Bool = false) -> TokenLogProbs {
    precondition(weight.rank == 2, "tokenLogProbs: weight \(weight.shape) is not a matrix")
    return plainTokenLogProbs(hidden: hidden, head: .tensor(weight), targets: targets, options: options,
                              computeEntropy: computeEntropy)
}

/// `tokenLogProbs` with a frozen quantized head [V, dim], dequantized one vocabulary tile at a
/// time (never whole); equal to the op on `weight.dequantized()`. Differentiable with respect to
/// hidden only.
public func tokenLogProbs(hidden: Tensor, weight: QuantizedMatrix, targets: [Int],
                          options: TokenLogProbOptions = TokenLogProbOptions(),
                          computeEntropy: Bool = false) -> TokenLogProbs {
    plainTokenLogProbs(hidden: hidden, head: .blocks(weight), targets: targets, options: options,
                       computeEntropy: computeEntropy)
}

private func plainTokenLogProbs(hidden: Tensor, head: HeadWeight, targets: [Int], options: TokenLogProbOptions,
                                computeEntropy: Bool) -> TokenLogProbs {
    precondition(head.shape[1] == hidden.lastDimension,
                 "tokenLogProbs: weight \(head.shape) does not match hidden \(hidden.shape)")
    let rows = hidden.rowCount, vocabulary = head.shape[0]
    precondition(targets.count == rows, "tokenLogProbs: \(targets.count) targets for \(rows) rows")
    let targetIndices = int32Indices(targets, name: "tokenLogProbs target")
    precondition(targetIndices.allSatisfy { $0 < vocabulary }, "tokenLogProbs: a target is ≥ the vocabulary \(vocabulary)")
    let logProbs = Tensor(zeros: [rows]), logSumExp = Tensor(zeros: [rows])
    let entropy = computeEntropy ? Tensor(zeros: [rows]) : nil
    logProbs.withUnsafeMutableBufferPointer { lp in
        logSumExp.withUnsafeMutableBufferPointer { lse in
            hidden.withUnsafeBufferPointer { h in
                head.withHead { weights in
                    targetIndices.withUnsafeBufferPointer { t in
                        let forward = { (entropyBuffer: UnsafeMutableBufferPointer<Float>?) in
                            tokenLogProbForward(logProbs: lp, logSumExp: lse, entropy: entropyBuffer, hidden: h,
                                                head: weights, targets: t, rows: rows, options: options)
                        }
                        if let entropy { entropy.withUnsafeMutableBufferPointer { forward($0) } } else { forward(nil) }
                    }
                }
            }
        }
    }
    let savedLogSumExp = logSumExp.detach()
    var inputs = [hidden]
    if case let .tensor(weight) = head { inputs.append(weight) }
    Tensor.record(logProbs, inputs: inputs) { outGrad in
        outGrad.withUnsafeBufferPointer { dLogProbs in
            hidden.withUnsafeBufferPointer { h in
                head.withHead { weights in
                    savedLogSumExp.withUnsafeBufferPointer { lse in
                        targetIndices.withUnsafeBufferPointer { t in
                            withOptionalGradient(hidden) { dHidden in
                                let weightTensor: Tensor? = if case let .tensor(weight) = head { weight } else { nil }
                                withOptionalGradient(weightTensor) { dWeight in
                                    tokenLogProbBackward(dHidden: dHidden, dWeight: dWeight, dLogProbs: dLogProbs,
                                                         dLogSumExp: nil, hidden: h, head: weights, targets: t,
                                                         logSumExp: lse, rows: rows, options: options)
                                }
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
    precondition(weight.rank == 2, "frozenHeadTokenLogProbs: weight \(weight.shape) is not a matrix")
    return frozenTokenLogProbs(hidden: hidden, head: .tensor(weight), targets: targets, options: options,
                               computeEntropy: computeEntropy)
}

/// `frozenHeadTokenLogProbs` with a quantized head [V, dim], dequantized one vocabulary tile at a
/// time inside the tiled loop (never whole); the backward dequantizes only the target rows.
/// Equal to the op on `weight.dequantized()`.
public func frozenHeadTokenLogProbs(hidden: Tensor, weight: QuantizedMatrix, targets: [Int],
                                    options: TokenLogProbOptions = TokenLogProbOptions(),
                                    computeEntropy: Bool = false) -> TokenLogProbs {
    frozenTokenLogProbs(hidden: hidden, head: .blocks(weight), targets: targets, options: options,
                        computeEntropy: computeEntropy)
}

private func frozenTokenLogProbs(hidden: Tensor, head: HeadWeight, targets: [Int], options: TokenLogProbOptions,
                                 computeEntropy: Bool) -> TokenLogProbs {
    guard Tensor.isRecording([hidden]) else {
        return Autograd.noGrad {
            plainTokenLogProbs(hidden: hidden, head: head, targets: targets, options: options, computeEntropy: computeEntropy)
        }
    }
    precondition(head.shape[1] == hidden.lastDimension,
                 "frozenHeadTokenLogProbs: weight \(head.shape) does not match hidden \(hidden.shape)")
    let rows = hidden.rowCount, dim = hidden.lastDimension, vocabulary = head.shape[0]
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
                    hidden.withUnsafeBufferPointer { h in
                        head.withHead { weights in
                            targetIndices.withUnsafeBufferPointer { t in
                                let forward = { (entropyBuffer: UnsafeMutableBufferPointer<Float>?) in
                                    tokenLogProbForward(logProbs: lp, logSumExp: lse, entropy: entropyBuffer, hidden: h,
                                                        head: weights, targets: t, rows: rows, options: options,
                                                        frozenHead: (g, slopes))
                                }
                                if let entropy { entropy.withUnsafeMutableBufferPointer { forward($0) } } else { forward(nil) }
                            }
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
                    head.withHead { weights in
                        targetIndices.withUnsafeBufferPointer { t in
                            frozenHeadTokenLogProbBackward(dHidden: dHidden, dLogProbs: dLogProbs, head: weights, targets: t,
                                                           expectedRows: g, targetSlopes: slopes, rows: rows, options: options)
                        }
                    }
                }
            }
        }
    }
    return TokenLogProbs(logProbs: logProbs, logSumExp: logSumExp, entropy: entropy)
}
