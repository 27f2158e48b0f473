import Foundation

// The per-token terms of TRL 1.16's `_compute_loss`, each with its hand-derived partial
// derivatives. With r the importance ratio, A the sequence's advantage and x = log p:
//
//   grpo, bnpo, dr_grpo, dapo, luspo   −min(min(r, δ)·A, clip(r, 1−ε, 1+ε_high)·A)
//   cispo                              −stopgrad(min(r, ε_high))·A·x
//   sapo                               −σ(τ(r − 1))·4/τ·A,   τ = τ_pos if A > 0 else τ_neg
//   vespo                              −φ·A·x,   φ the sequence's detached gamma weight
//   KL (beta ≠ 0)                      k3 = exp(ref − x) − (ref − x) − 1, times r when bias-corrected

/// One token's loss term and its partial derivatives through the ratio and through log p directly.
struct TokenLossTerm {
    var value: Double
    /// ∂value/∂r (r depends on x; the caller applies dr/dx).
    var byRatio: Double
    /// ∂value/∂x holding r fixed.
    var byLogProb: Double
}

extension GRPOLossSettings {
    /// The policy term (before masks and KL) of one token.
    /// - Parameter gammaWeight: vespo's φ for the token's sequence (ignored otherwise).
    func policyTerm(ratio r: Double, advantage a: Double, logProb x: Double, gammaWeight: Double) -> TokenLossTerm {
        switch lossType {
        case .grpo, .bnpo, .drGRPO, .dapo, .luspo:
            let low = 1 - epsilon, high = 1 + resolvedEpsilonHigh
            let clipped = min(max(r, low), high)
            // torch.clamp passes the gradient where low ≤ r ≤ high (inclusive).
            let clippedSlope: Double = r >= low && r <= high ? 1 : 0
            let (capped, cappedSlope) = cappedRatio(r)
            let unclippedTerm = capped * a, clippedTerm = clipped * a
            // torch.minimum sends the gradient to the smaller side, half to each on a tie.
            let slope: Double = unclippedTerm < clippedTerm ? cappedSlope
                : clippedTerm < unclippedTerm ? clippedSlope : (cappedSlope + clippedSlope) / 2
            return TokenLossTerm(value: -min(unclippedTerm, clippedTerm), byRatio: -a * slope, byLogProb: 0)
        case .cispo:
            let weight = min(r, resolvedEpsilonHigh)
            return TokenLossTerm(value: -weight * a * x, byRatio: 0, byLogProb: -weight * a)
        case .sapo:
            let temperature = a > 0 ? sapoTemperaturePos : sapoTemperatureNeg
            let gate = 1 / (1 + Foundation.exp(-temperature * (r - 1)))
            return TokenLossTerm(value: -gate * 4 / temperature * a, byRatio: -4 * gate * (1 - gate) * a, byLogProb: 0)
        case .vespo:
            return TokenLossTerm(value: -gammaWeight * a * x, byRatio: 0, byLogProb: -gammaWeight * a)
        }
    }

    /// The ratio after the two-sided clip `delta` (TRL clamps coef_1 to at most delta), and its slope.
    func cappedRatio(_ r: Double) -> (value: Double, slope: Double) {
        guard let delta, r > delta else { return (r, 1) }
        return (delta, 0)
    }

    /// The k3 KL term of one token, with its partials through the ratio and through x.
    func klTerm(ratio r: Double, logProb x: Double, referenceLogProb reference: Double) -> TokenLossTerm {
        let gap = reference - x, expGap = Foundation.exp(gap)
        let k3 = expGap - gap - 1, slope = 1 - expGap   // d k3 / dx
        guard useBiasCorrectionKL else { return TokenLossTerm(value: k3, byRatio: 0, byLogProb: slope) }
        return TokenLossTerm(value: k3 * r, byRatio: k3, byLogProb: slope * r)
    }

    /// vespo's detached sequence weight φ(w) = exp(λ + k·log w − λ·w), with w = exp(Σ_t log-ratio)
    /// clamped to [1e-8, e^20] and (k, λ) chosen by the advantage's sign.
    func gammaWeight(sequenceLogRatio: Double, advantage: Double) -> Double {
        let logW = min(max(sequenceLogRatio, Foundation.log(1e-8)), 20)
        let nonNegative = advantage >= 0
        let k = nonNegative ? vespoKPos : vespoKNeg
        let lambda = max(nonNegative ? vespoLambdaPos : vespoLambdaNeg, 1e-4)
        let phi = Foundation.exp(lambda + k * logW - lambda * Foundation.exp(logW))
        return phi.isFinite ? phi : 0
    }
}
