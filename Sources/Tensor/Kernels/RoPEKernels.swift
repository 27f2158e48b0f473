import Foundation

// Rotary position embeddings. θ_i = position · invFreq_i with invFreq_i = base^(−2i/rotaryDim)
// (optionally rescaled); a rotation by θ_i on each pair, so the backward is the rotation by −θ_i.

/// Which coordinates form a rotated pair.
public enum RoPEPairing: Sendable, Equatable {
    /// (i, i + rotaryDim/2): Hugging Face's `rotate_half` (NEOX); the layout of HF weights.
    case rotateHalf
    /// (2i, 2i + 1): GGUF / llama.cpp's "normal" RoPE on its permuted Q/K rows.
    case adjacentPairs
}

/// How the rotary frequencies are rescaled for longer contexts (HF `rope_scaling`).
public enum RoPEScaling: Sendable, Equatable {
    case none
    /// `rope_type: "linear"`: positions divided by `factor` (every frequency divided by it).
    case linear(factor: Float)
    /// `rope_type: "llama3"`: long wavelengths divided by `factor`, short ones kept, and a
    /// smooth blend between `originalMaxPositions / lowFrequencyFactor` and `/ highFrequencyFactor`.
    case llama3(factor: Float, lowFrequencyFactor: Float, highFrequencyFactor: Float, originalMaxPositions: Int)
    /// `rope_type: "longrope"` (Phi-3.5/4-mini): frequency i divided by `factors[i]` (the config's
    /// `short_factor`, or `long_factor` beyond `original_max_position_embeddings`; the caller
    /// picks), and cos/sin multiplied by `attentionFactor` (√(1 + ln(max/original)/ln(original))).
    case frequencyFactors([Float], attentionFactor: Float)
}

/// Precomputed cos/sin for positions `0..<maxPositions` and the `rotaryDim / 2` frequencies.
public struct RoPETable: Sendable {
    /// How many leading dims of each head rotate (≤ head dim; the rest pass through).
    public let rotaryDim: Int
    /// Positions `0..<maxPositions` are covered.
    public let maxPositions: Int
    /// cos(θ) and sin(θ), row-major [maxPositions, rotaryDim / 2].
    public let cos: [Float]
    public let sin: [Float]

    /// Builds the tables; `rotaryDim` must be even and positive.
    public init(rotaryDim: Int, maxPositions: Int, base: Float, scaling: RoPEScaling = .none) {
        precondition(rotaryDim > 0 && rotaryDim % 2 == 0, "RoPETable: rotaryDim must be even and positive")
        self.rotaryDim = rotaryDim
        self.maxPositions = maxPositions
        let frequencies = RoPETable.inverseFrequencies(rotaryDim: rotaryDim, base: base, scaling: scaling)
        let half = rotaryDim / 2
        var cosines = [Float](repeating: 0, count: maxPositions * half)
        var sines = [Float](repeating: 0, count: maxPositions * half)
        var magnitude: Double = 1
        if case .frequencyFactors(_, let attentionFactor) = scaling { magnitude = Double(attentionFactor) }
        for position in 0..<maxPositions {
            for i in 0..<half {
                // Float32 angle as in the HF reference, then cos/sin of that angle.
                let angle = Double(Float(position) * frequencies[i])
                cosines[position * half + i] = Float(magnitude * Foundation.cos(angle))
                sines[position * half + i] = Float(magnitude * Foundation.sin(angle))
            }
        }
        cos = cosines
        sin = sines
    }

    /// invFreq_i = base^(−2i/rotaryDim) for i in 0..<rotaryDim/2, after `scaling`.
    public static func inverseFrequencies(rotaryDim: Int, base: Float, scaling: RoPEScaling) -> [Float] {
        let raw = (0..<(rotaryDim / 2)).map { i in
            1 / Float(pow(Double(base), Double(2 * i) / Double(rotaryDim)))
        }
        switch scaling {
        case .none:
            return raw
        case .linear(let factor):
            return raw.map { $0 / factor }
        case .llama3(let factor, let low, let high, let original):
            let lowFrequencyWavelength = Float(original) / low
            let highFrequencyWavelength = Float(original) / high
            return raw.map { frequency in
                let wavelength = 2 * Float.pi / frequency
                if wavelength < highFrequencyWavelength { return frequency }
                if wavelength > lowFrequencyWavelength { return frequency / factor }
                let smooth = (Float(original) / wavelength - low) / (high - low)
                return (1 - smooth) * frequency / factor + smooth * frequency
            }
        case .frequencyFactors(let factors, _):
            precondition(factors.count == raw.count,
                         "RoPEScaling.frequencyFactors: \(factors.count) factors for \(raw.count) frequencies")
            return zip(raw, factors).map { $0 / $1 }
        }
    }
}

/// Rotates each head of input [rows, heads, headDim] by its row's position; `out` may be
/// `input` itself. Dims at and beyond `table.rotaryDim` are copied unchanged.
public func ropeForward(
    out: UnsafeMutableBufferPointer<Float>,
    input: UnsafeBufferPointer<Float>,
    table: RoPETable,
    positions: UnsafeBufferPointer<Int32>,
    rows: Int, heads: Int, headDim: Int,
    pairing: RoPEPairing
) {
    ropeApply(out: out, input: input, table: table, positions: positions, rows: rows, heads: heads,
              headDim: headDim, pairing: pairing, sinSign: 1, accumulate: false)
}

/// Accumulates dInput += Rᵀ·dOut: the rotation by −θ (pass-through dims add dOut as is).
public func ropeBackward(
    dInput: UnsafeMutableBufferPointer<Float>,
    dOut: UnsafeBufferPointer<Float>,
    table: RoPETable,
    positions: UnsafeBufferPointer<Int32>,
    rows: Int, heads: Int, headDim: Int,
    pairing: RoPEPairing
) {
    ropeApply(out: dInput, input: dOut, table: table, positions: positions, rows: rows, heads: heads,
              headDim: headDim, pairing: pairing, sinSign: -1, accumulate: true)
}

private func ropeApply(
    out: UnsafeMutableBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
    table: RoPETable, positions: UnsafeBufferPointer<Int32>,
    rows: Int, heads: Int, headDim: Int, pairing: RoPEPairing,
    sinSign: Float, accumulate: Bool
) {
    let rotary = table.rotaryDim, half = rotary / 2
    precondition(rotary <= headDim, "rope: rotaryDim \(rotary) exceeds head dim \(headDim)")
    precondition(positions.count >= rows && out.count >= rows * heads * headDim
        && input.count >= rows * heads * headDim, "rope: buffers smaller than the shapes")
    let stride = step(for: pairing, half: half)
    table.cos.withUnsafeBufferPointer { cosines in
        table.sin.withUnsafeBufferPointer { sines in
            KernelMath.forEachChunk(of: rows, costPerItem: heads * headDim) { range in
                for row in range {
                    let position = Int(positions[row])
                    precondition(position >= 0 && position < table.maxPositions,
                                 "rope: position \(position) outside the table (0..<\(table.maxPositions))")
                    let c = cosines.baseAddress! + position * half, s = sines.baseAddress! + position * half
                    for head in 0..<heads {
                        let x = input.baseAddress! + (row * heads + head) * headDim
                        let y = out.baseAddress! + (row * heads + head) * headDim
                        for i in 0..<half {
                            let first = stride.first(i), second = stride.second(i)
                            let a = x[first], b = x[second]
                            let sine = sinSign * s[i]
                            let newA = a * c[i] - b * sine, newB = b * c[i] + a * sine
                            if accumulate { y[first] += newA; y[second] += newB } else { y[first] = newA; y[second] = newB }
                        }
                        for i in rotary..<headDim {
                            if accumulate { y[i] += x[i] } else { y[i] = x[i] }
                        }
                    }
                }
            }
        }
    }
}

/// Index maps of the two members of pair i.
private struct PairIndex {
    let isHalf: Bool
    let half: Int
    @inline(__always) func first(_ i: Int) -> Int { isHalf ? i : 2 * i }
    @inline(__always) func second(_ i: Int) -> Int { isHalf ? i + half : 2 * i + 1 }
}

private func step(for pairing: RoPEPairing, half: Int) -> PairIndex {
    PairIndex(isHalf: pairing == .rotateHalf, half: half)
}
