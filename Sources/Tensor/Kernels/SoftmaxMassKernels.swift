// The pass over a whole vocabulary that sampling makes for every token it draws: softmax
// numerators in Double, their sum, and how much of it each octave below the top holds. With
// libm's scalar exp this pass was ~14% of a GRPO rollout's time (BENCHMARKS.md).

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
                                 mass: UnsafeMutableBufferPointer<Double>) -> Double {
    precondition(buckets.count >= scores.count && !mass.isEmpty && mass.count <= 256,
                 "softmaxNumeratorSums: \(buckets.count) buckets for \(scores.count) scores, \(mass.count) masses")
    let lastBucket = Double(mass.count - 1)
    let scale = SIMD8<Double>(repeating: inverseTemperature), top = SIMD8<Double>(repeating: maxScore)
    var totals = SIMD8<Double>(repeating: 0)
    var start = 0
    while start < scores.count {
        let count = min(8, scores.count - start)
        var values = SIMD8<Float>(repeating: 0)
        if count == 8 {
            values = UnsafeRawPointer(scores.baseAddress! + start).loadUnaligned(as: SIMD8<Float>.self)
        } else {
            for lane in 0..<count { values[lane] = scores[start + lane] }
        }
        let exponent = SIMD8<Double>(values) * scale - top
        var p = softmaxExp(exponent)
        var octaves = -exponent * 1.4426950408889634
        octaves.replace(with: lastBucket, where: .!(octaves .< lastBucket))  // NaN too
        octaves.replace(with: 0, where: octaves .< 0)
        let bucket = integerParts(octaves)
        if count < 8 { p.replace(with: 0, where: SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7) .>= Int64(count)) }
        totals += p
        for lane in 0..<count {
            buckets[start + lane] = UInt8(truncatingIfNeeded: bucket[lane])
            mass[Int(bucket[lane])] += p[lane]
        }
        start += 8
    }
    return totals.sum()
}

/// e^x for x ≤ 0 lane-wise (NaN stays NaN; x below −708 gives 0).
@inline(__always)
private func softmaxExp(_ x: SIMD8<Double>) -> SIMD8<Double> {
    let isNaN = x .!= x
    var clamped = x
    clamped.replace(with: -708, where: isNaN .| (x .< -708))
    clamped.replace(with: 0, where: clamped .> 0)
    // x = k·ln 2 + r with |r| ≤ ln 2 / 2; ln 2 split so that k·ln2High is exact.
    let (k, kInteger) = nearestIntegers(clamped * 1.4426950408889634)
    let r = (clamped - k * 0.693147180369123816490) - k * 1.90821492927058770002e-10
    // Taylor series of e^r to r^13 (remainder < 1e-17 for |r| ≤ 0.347).
    var poly = SIMD8<Double>(repeating: 1.0 / 6_227_020_800)
    poly = SIMD8<Double>(repeating: 1.0 / 479_001_600).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1.0 / 39_916_800).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1.0 / 3_628_800).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1.0 / 362_880).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1.0 / 40_320).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1.0 / 5_040).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1.0 / 720).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1.0 / 120).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1.0 / 24).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1.0 / 6).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 0.5).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1).addingProduct(poly, r)
    poly = SIMD8<Double>(repeating: 1).addingProduct(poly, r)
    // 2^k from its bit pattern (k ≥ −1022 after the clamp).
    let powerBits = (kInteger &+ 1023) &<< 52
    var result = poly * unsafeBitCast(powerBits, to: SIMD8<Double>.self)
    result.replace(with: 0, where: x .< -708)
    result.replace(with: x, where: isNaN)
    return result
}

/// x rounded to the nearest integers (ties to even), as Doubles and as Int64s; |x| < 2^51.
///
/// Adding 1.5·2^52 rounds x to an integer held in the low bits of the sum's pattern: a
/// conversion without the generic lane-by-lane `SIMD8<Int64>(_:rounding:)`, which took longer
/// than the exponential itself.
@inline(__always)
private func nearestIntegers(_ x: SIMD8<Double>) -> (SIMD8<Double>, SIMD8<Int64>) {
    let roundingShift = SIMD8<Double>(repeating: 6_755_399_441_055_744)
    let shifted = x + roundingShift
    let integers = unsafeBitCast(shifted, to: SIMD8<Int64>.self) &- unsafeBitCast(roundingShift, to: SIMD8<Int64>.self)
    return (shifted - roundingShift, integers)
}

/// ⌊x⌋ as Int64s, for 0 ≤ x < 2^51.
@inline(__always)
private func integerParts(_ x: SIMD8<Double>) -> SIMD8<Int64> {
    let (nearest, integers) = nearestIntegers(x)
    return integers &- SIMD8<Int64>(repeating: 1).replacing(with: 0, where: .!(nearest .> x))
}
