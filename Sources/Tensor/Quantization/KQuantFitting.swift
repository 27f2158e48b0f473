/// The scale searches of ggml's K-quant reference encoders (`quantize_row_q{4,5,6}_K_ref`, no
/// importance matrix): for a sub-block, the codes and scale (and min) that minimise a weighted
/// squared error over a small grid of candidate scales.
enum KQuantFitting {
    /// Round half to even, as ggml's `nearest_int`.
    @inline(__always)
    static func nearest(_ value: Float) -> Int {
        guard value.isFinite else { return 0 }
        return Int(max(-4_194_303, min(4_194_303, value)).rounded(.toNearestOrEven))
    }

    /// Symmetric codes in [−nmax, nmax−1] (stored as code + nmax in `codes`) for `x`, weighted by
    /// x², with ggml's search over 18 perturbed scales (`make_qx_quants`, rmse_type 1). Returns the
    /// scale (0 for an all-zero group).
    static func symmetric(_ x: UnsafePointer<Float>, count n: Int, nmax: Int, codes: UnsafeMutablePointer<UInt8>) -> Float {
        var amax: Float = 0, signedMax: Float = 0
        for i in 0..<n where abs(x[i]) > amax { amax = abs(x[i]); signedMax = x[i] }
        guard amax >= 1e-15 else {
            for i in 0..<n { codes[i] = 0 }
            return 0
        }
        func fit(_ iscale: Float) -> (sumlx: Float, suml2: Float) {
            var sumlx: Float = 0, suml2: Float = 0
            for i in 0..<n {
                let l = Float(max(-nmax, min(nmax - 1, nearest(iscale * x[i]))))
                let w = x[i] * x[i]
                sumlx += w * x[i] * l
                suml2 += w * l * l
            }
            return (sumlx, suml2)
        }
        func store(_ iscale: Float) {
            for i in 0..<n { codes[i] = UInt8(nmax + max(-nmax, min(nmax - 1, nearest(iscale * x[i])))) }
        }
        var iscale = -Float(nmax) / signedMax
        store(iscale)
        var (sumlx, suml2) = fit(iscale)
        var scale: Float = suml2 != 0 ? sumlx / suml2 : 0
        var best = scale * sumlx
        for step in -9...9 where step != 0 {
            iscale = -(Float(nmax) + 0.1 * Float(step)) / signedMax
            (sumlx, suml2) = fit(iscale)
            if suml2 > 0 && sumlx * sumlx > best * suml2 {
                store(iscale)
                scale = sumlx / suml2
                best = scale * sumlx
            }
        }
        return scale
    }

    /// Asymmetric codes in [0, nmax] with a scale and a (non-positive) offset for `x`, weighted by
    /// `weights`, searching `steps + 1` candidate scales from `rmin` by `rdelta`
    /// (`make_qkx2_quants`). Returns (scale, −min).
    static func asymmetric(_ x: UnsafePointer<Float>, count n: Int, nmax: Int, weights: [Float],
                           codes: UnsafeMutablePointer<UInt8>, rmin: Float, rdelta: Float, steps: Int) -> (scale: Float, negatedMin: Float) {
        var lo = x[0], hi = x[0]
        var sumW = weights[0], sumX = weights[0] * x[0]
        for i in 1..<n {
            lo = min(lo, x[i]); hi = max(hi, x[i])
            sumW += weights[i]; sumX += weights[i] * x[i]
        }
        if lo > 0 { lo = 0 }
        guard hi != lo else {
            for i in 0..<n { codes[i] = 0 }
            return (0, -lo)
        }
        var iscale = Float(nmax) / (hi - lo)
        var scale = 1 / iscale
        var bestError: Float = 0
        for i in 0..<n {
            let l = max(0, min(nmax, nearest(iscale * (x[i] - lo))))
            codes[i] = UInt8(l)
            let diff = scale * Float(l) + lo - x[i]
            bestError += weights[i] * (diff * diff)
        }
        var trial = [UInt8](repeating: 0, count: n)
        for step in 0...steps {
            iscale = (rmin + rdelta * Float(step) + Float(nmax)) / (hi - lo)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0..<n {
                let l = max(0, min(nmax, nearest(iscale * (x[i] - lo))))
                trial[i] = UInt8(l)
                let w = weights[i], fl = Float(l)
                sumL += w * fl; sumL2 += w * fl * fl; sumXL += w * fl * x[i]
            }
            let determinant = sumW * sumL2 - sumL * sumL
            guard determinant > 0 else { continue }
            var thisScale = (sumW * sumXL - sumX * sumL) / determinant
            var thisMin = (sumL2 * sumX - sumL * sumXL) / determinant
            if thisMin > 0 {
                thisMin = 0
                thisScale = sumXL / sumL2
            }
            var error: Float = 0
            for i in 0..<n {
                let diff = thisScale * Float(trial[i]) + thisMin - x[i]
                error += weights[i] * (diff * diff)
            }
            if error < bestError {
                for i in 0..<n { codes[i] = trial[i] }
                bestError = error
                scale = thisScale
                lo = thisMin
            }
        }
        return (scale, -lo)
    }

    /// ggml's weights for Q4_K/Q5_K sub-blocks: rms(x) + |x_i|.
    static func subBlockWeights(_ x: UnsafePointer<Float>, count n: Int) -> [Float] {
        var sum: Float = 0
        for i in 0..<n { sum += x[i] * x[i] }
        let average = (sum / Float(n)).squareRoot()
        return (0..<n).map { average + abs(x[$0]) }
    }

    /// Packs 8 (scale, min) 6-bit pairs into K-quants' 12 bytes (the inverse of `KQuantScales`).
    static func packScales(_ scales: [Int], _ mins: [Int], into block: UnsafeMutableRawPointer, at offset: Int) {
        var q = [UInt8](repeating: 0, count: 12)
        for j in 0..<8 {
            let ls = UInt8(scales[j]), lm = UInt8(mins[j])
            if j < 4 {
                q[j] = ls
                q[j + 4] = lm
            } else {
                q[j + 4] = (ls & 0x0F) | ((lm & 0x0F) << 4)
                q[j - 4] |= (ls >> 4) << 6
                q[j] |= (lm >> 4) << 6
            }
        }
        for (i, byte) in q.enumerated() { block.storeBytes(of: byte, toByteOffset: offset + i, as: UInt8.self) }
    }
}
