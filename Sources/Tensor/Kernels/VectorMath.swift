// A vectorised exp for the softmax-heavy kernels (attention, log-probs over 49152 classes),
// where scalar expf would cost as much as the matrix products. Cephes-style: 2^n · P(r)
// with n = round(x·log2 e) and |r| ≤ ln2/2; relative error ≈ 2e-7 on [-87, 88].

extension KernelMath {
    /// e^x lane-wise; inputs are clamped to [-87.3, 88.3], so −∞ maps to ≈1e-38, not 0.
    @inline(__always)
    static func exp(_ input: SIMD16<Float>) -> SIMD16<Float> {
        // Lane masks rather than pointwiseMin/Max and shifts rather than `&<<`: both of those
        // compile to per-lane loops here, 15× slower than the vector compare/select/multiply.
        var x = input
        x.replace(with: SIMD16(repeating: -87.3), where: x .< -87.3)
        x.replace(with: SIMD16(repeating: 88.3), where: x .> 88.3)
        // Round x·log2(e) to the nearest integer with the 1.5·2^23 trick (no SSE4.1 needed).
        let magic = SIMD16<Float>(repeating: 12_582_912)
        let shifted = x * 1.442695040888963 + magic
        let n = shifted - magic
        var r = x - n * 0.693359375
        r = r + n * 2.12194440e-4
        var p = SIMD16<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let polynomial = p * r * r + r + 1
        // 2^n from the integer sitting in the low mantissa bits of `shifted`.
        let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
        let twoToN = unsafeBitCast((integer &+ 127) &* 8_388_608, to: SIMD16<Float>.self)
        return polynomial * twoToN
    }

    /// Σ exp(x[i] − shift) over `count` floats, without writing anything.
    @inline(__always)
    static func sumOfExp(_ x: UnsafePointer<Float>, count: Int, shift: Float) -> Float {
        var lanes = SIMD16<Float>(repeating: 0)
        let offset = SIMD16<Float>(repeating: shift)
        var i = 0
        while i + 16 <= count {
            lanes += exp(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self) - offset)
            i += 16
        }
        var total = lanes.sum()
        while i < count { total += scalarExp(x[i] - shift); i += 1 }
        return total
    }

    /// Σ exp(x[i] − shift) and Σ exp(x[i] − shift)·x[i] (for entropies) in one pass.
    @inline(__always)
    static func sumOfExpAndWeighted(_ x: UnsafePointer<Float>, count: Int, shift: Float) -> (Float, Float) {
        var lanes = SIMD16<Float>(repeating: 0), weighted = SIMD16<Float>(repeating: 0)
        let offset = SIMD16<Float>(repeating: shift)
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            let e = exp(v - offset)
            lanes += e
            weighted += e * v
            i += 16
        }
        var total = lanes.sum(), totalWeighted = weighted.sum()
        while i < count {
            let e = scalarExp(x[i] - shift)
            total += e
            totalWeighted += e * x[i]
            i += 1
        }
        return (total, totalWeighted)
    }

    /// out[i] = scale · exp(x[i] − shift); `out` may be `x`.
    @inline(__always)
    static func writeExp(_ x: UnsafePointer<Float>, to out: UnsafeMutablePointer<Float>, count: Int,
                         shift: Float, scale: Float = 1) {
        let offset = SIMD16<Float>(repeating: shift), factor = SIMD16<Float>(repeating: scale)
        var i = 0
        while i + 16 <= count {
            let e = exp(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self) - offset) * factor
            UnsafeMutableRawPointer(out + i).storeBytes(of: e, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count { out[i] = scale * scalarExp(x[i] - shift); i += 1 }
    }

    /// out[i] += scale · exp(x[i] − shift).
    @inline(__always)
    static func accumulateExp(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int,
                              shift: Float, scale: Float) {
        let offset = SIMD16<Float>(repeating: shift), factor = SIMD16<Float>(repeating: scale)
        var i = 0
        while i + 16 <= count {
            let e = exp(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self) - offset) * factor
            let current = UnsafeRawPointer(out + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: current + e, as: SIMD16<Float>.self)
            i += 16
        }
        while i < count { out[i] += scale * scalarExp(x[i] - shift); i += 1 }
    }

    /// The same approximation for one value (same steps as the lanes, so tails match).
    @inline(__always)
    static func scalarExp(_ input: Float) -> Float {
        let x = Swift.min(Swift.max(input, -87.3), 88.3)
        let magic: Float = 12_582_912
        let shifted = x * 1.442695040888963 + magic
        let n = shifted - magic
        var r = x - n * 0.693359375
        r = r + n * 2.12194440e-4
        var p: Float = 1.9875691500e-4
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let polynomial = p * r * r + r + 1
        let integer = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        return polynomial * Float(bitPattern: UInt32(bitPattern: (integer &+ 127) &<< 23))
    }
}
