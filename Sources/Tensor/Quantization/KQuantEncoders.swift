/// Encoders for the K-quant blocks (ggml's reference algorithms without an importance matrix; the
/// export tests find them byte-identical to libggml's `quantize_row_q{4,5,6}_K_ref`):
/// 256 values per block, sub-block scales fitted by `KQuantFitting` and stored in 6 or 8 bits.

extension BlockQ6_K: QuantizableBlock {
    /// 16 sub-blocks of 16 with symmetric 6-bit codes; int8 sub-block scales over an fp16 `d`.
    public static func quantize(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        var codes = [UInt8](repeating: 0, count: 256)
        var scales = [Float](repeating: 0, count: 16)
        var maxScale: Float = 0, maxAbsScale: Float = 0
        codes.withUnsafeMutableBufferPointer { l in
            for ib in 0..<16 {
                let scale = KQuantFitting.symmetric(x + 16 * ib, count: 16, nmax: 32, codes: l.baseAddress! + 16 * ib)
                scales[ib] = scale
                if abs(scale) > maxAbsScale { maxAbsScale = abs(scale); maxScale = scale }
            }
        }
        guard maxAbsScale >= 1e-15 else {
            for i in 0..<210 { block.storeBytes(of: 0, toByteOffset: i, as: UInt8.self) }
            return
        }
        let iscale = -128 / maxScale
        BlockStore.half(1 / iscale, block, 208)
        let d = BlockBytes.half(UnsafeRawPointer(block), 208)
        for ib in 0..<16 {
            let scale = Int8(max(-128, min(127, KQuantFitting.nearest(iscale * scales[ib]))))
            block.storeBytes(of: scale, toByteOffset: 192 + ib, as: Int8.self)
            let subScale = d * Float(scale)
            guard subScale != 0 else { continue }
            for ii in 0..<16 {
                let l = max(-32, min(31, KQuantFitting.nearest(x[16 * ib + ii] / subScale)))
                codes[16 * ib + ii] = UInt8(l + 32)
            }
        }
        for half in 0..<2 {
            let j = 128 * half, ql = 64 * half, qh = 128 + 32 * half
            for l in 0..<32 {
                let q1 = codes[j + l], q2 = codes[j + l + 32], q3 = codes[j + l + 64], q4 = codes[j + l + 96]
                block.storeBytes(of: (q1 & 0x0F) | ((q3 & 0x0F) << 4), toByteOffset: ql + l, as: UInt8.self)
                block.storeBytes(of: (q2 & 0x0F) | ((q4 & 0x0F) << 4), toByteOffset: ql + l + 32, as: UInt8.self)
                let high = (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6)
                block.storeBytes(of: high, toByteOffset: qh + l, as: UInt8.self)
            }
        }
    }
}

/// The shared part of Q4_K and Q5_K: 8 sub-blocks of 32 with asymmetric codes in [0, nmax],
/// 6-bit scales and mins over fp16 `d` and `dmin` (bytes 0–15). Returns the final codes.
enum KQuantAsymmetric {
    static func encode(_ x: UnsafePointer<Float>, nmax: Int, rmin: Float, steps: Int,
                       into block: UnsafeMutableRawPointer) -> [UInt8] {
        var codes = [UInt8](repeating: 0, count: 256)
        var scales = [Float](repeating: 0, count: 8), mins = scales
        codes.withUnsafeMutableBufferPointer { l in
            for j in 0..<8 {
                let weights = KQuantFitting.subBlockWeights(x + 32 * j, count: 32)
                (scales[j], mins[j]) = KQuantFitting.asymmetric(x + 32 * j, count: 32, nmax: nmax, weights: weights,
                                                                 codes: l.baseAddress! + 32 * j, rmin: rmin, rdelta: 0.1, steps: steps)
            }
        }
        let maxScale = scales.max() ?? 0, maxMin = mins.max() ?? 0
        let inverseScale: Float = maxScale > 0 ? 63 / maxScale : 0
        let inverseMin: Float = maxMin > 0 ? 63 / maxMin : 0
        let quantizedScales = scales.map { min(63, KQuantFitting.nearest(inverseScale * $0)) }
        let quantizedMins = mins.map { min(63, KQuantFitting.nearest(inverseMin * $0)) }
        KQuantFitting.packScales(quantizedScales.map { max(0, $0) }, quantizedMins.map { max(0, $0) }, into: block, at: 4)
        BlockStore.half(maxScale / 63, block, 0)
        BlockStore.half(maxMin / 63, block, 2)
        let d = BlockBytes.half(UnsafeRawPointer(block), 0), dmin = BlockBytes.half(UnsafeRawPointer(block), 2)
        for j in 0..<8 {
            let (sc, m) = KQuantScales.scaleAndMin(j, UnsafeRawPointer(block) + 4)
            let subScale = d * sc
            guard subScale != 0 else { continue }
            let subMin = dmin * m
            for ii in 0..<32 {
                codes[32 * j + ii] = UInt8(max(0, min(nmax, KQuantFitting.nearest((x[32 * j + ii] + subMin) / subScale))))
            }
        }
        return codes
    }
}

extension BlockQ4_K: QuantizableBlock {
    public static func quantize(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        let codes = KQuantAsymmetric.encode(x, nmax: 15, rmin: -1, steps: 20, into: block)
        for chunk in 0..<4 {
            for l in 0..<32 {
                let byte = codes[64 * chunk + l] | (codes[64 * chunk + l + 32] << 4)
                block.storeBytes(of: byte, toByteOffset: 16 + 32 * chunk + l, as: UInt8.self)
            }
        }
    }
}

extension BlockQ5_K: QuantizableBlock {
    public static func quantize(_ x: UnsafePointer<Float>, into block: UnsafeMutableRawPointer) {
        let codes = KQuantAsymmetric.encode(x, nmax: 31, rmin: -0.5, steps: 15, into: block)
        var high = [UInt8](repeating: 0, count: 32)
        for chunk in 0..<4 {
            let lowBit = UInt8(1) << UInt8(2 * chunk), highBit = UInt8(1) << UInt8(2 * chunk + 1)
            for l in 0..<32 {
                var first = codes[64 * chunk + l], second = codes[64 * chunk + l + 32]
                if first > 15 { first -= 16; high[l] |= lowBit }
                if second > 15 { second -= 16; high[l] |= highBit }
                block.storeBytes(of: first | (second << 4), toByteOffset: 48 + 32 * chunk + l, as: UInt8.self)
            }
        }
        for (l, byte) in high.enumerated() { block.storeBytes(of: byte, toByteOffset: 16 + l, as: UInt8.self) }
    }
}
