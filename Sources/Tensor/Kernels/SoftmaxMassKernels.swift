// The passes over a whole vocabulary that sampling makes for every token it draws: the largest
// score's index, and softmax numerators in Double with their sum and how much of it each octave
// below the top holds. With libm's scalar exp the second was ~14% of a GRPO rollout's time
// (BENCHMARKS.md); it is C (`cqk_softmax_numerators`), whose vector paths keep four vectors of
// tokens in flight.

import CQuantKernels

/// For a row of `scores` sampled at `inverseTemperature`, relative to the largest scaled score
/// `maxScore`: each token's softmax numerator p = e^(score·inverseTemperature − maxScore), in
/// Double. Returns Σ p; adds each p to `mass[b]` and writes b to `buckets[token]`, where
/// b = ⌊(maxScore − score·inverseTemperature)·log₂e⌋, capped at `mass.count − 1` (NaN scores
/// go there too, and their p is NaN).
///
/// The exponential is a degree-13 polynomial after Cody–Waite range reduction, within a few
/// units in the last place of libm's (fused multiply-adds); numerators below e^-708 count as 0.
/// The sum runs in eight interleaved partial sums, so it differs from a sum in id order by the
/// rounding of either (~1e-14 relative over 49,152 tokens); `mass` adds in id order.
public func softmaxNumeratorSums(scores: UnsafeBufferPointer<Float>, inverseTemperature: Double, maxScore: Double,
                                 buckets: UnsafeMutableBufferPointer<UInt8>,
                                 mass: UnsafeMutableBufferPointer<Double>,
                                 instructionSet: QuantizedInstructionSet = .current) -> Double {
    precondition(buckets.count >= scores.count && !mass.isEmpty && mass.count <= 256,
                 "softmaxNumeratorSums: \(buckets.count) buckets for \(scores.count) scores, \(mass.count) masses")
    guard !scores.isEmpty else { return 0 }
    var laneTotals = SIMD8<Double>(repeating: 0)
    withUnsafeMutableBytes(of: &laneTotals) { totals in
        cqk_softmax_numerators(instructionSet.rawValue, scores.baseAddress!, Int64(scores.count), inverseTemperature,
                               maxScore, buckets.baseAddress!, mass.baseAddress!, Int64(mass.count),
                               totals.baseAddress!.assumingMemoryBound(to: Double.self))
    }
    return laneTotals.sum()
}

/// The index of the largest of `values`, the first one on ties; NaN never counts, and 0 comes
/// back when nothing exceeds −∞ (the sampler's greedy pick and the head of its ranking). One
/// vector pass for the largest value, then one to its first occurrence.
public func indexOfLargest(_ values: UnsafeBufferPointer<Float>) -> Int {
    let count = values.count
    var largest = -Float.infinity, index = 0
    if count >= 16 {
        var lanes = SIMD16<Float>(repeating: -.infinity)
        while index + 16 <= count {
            let v = UnsafeRawPointer(values.baseAddress! + index).loadUnaligned(as: SIMD16<Float>.self)
            lanes.replace(with: v, where: v .> lanes)  // NaN compares false: never taken
            index += 16
        }
        for lane in 0..<16 where lanes[lane] > largest { largest = lanes[lane] }
    }
    while index < count {
        if values[index] > largest { largest = values[index] }
        index += 1
    }
    guard largest > -.infinity else { return 0 }
    var start = 0
    let target = SIMD16<Float>(repeating: largest)
    while start + 16 <= count {
        let v = UnsafeRawPointer(values.baseAddress! + start).loadUnaligned(as: SIMD16<Float>.self)
        if any(v .== target) {
            for lane in 0..<16 where v[lane] == largest { return start + lane }
        }
        start += 16
    }
    while start < count {
        if values[start] == largest { return start }
        start += 1
    }
    return 0
}
