import Foundation
import Synchronization

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

/// cos/sin of the `rotaryDim / 2` rotary frequencies at positions `0..<maxPositions`. Rows are
/// computed on first use, a block of positions at a time, and kept: a 32k-context table at
/// rotary dimension 256 is 64 MiB, of which a short rollout reads a few hundred rows.
public struct RoPETable: Sendable {
    /// How many leading dims of each head rotate (≤ head dim; the rest pass through).
    public let rotaryDim: Int
    /// Positions `0..<maxPositions` are covered.
    public let maxPositions: Int
    private let rows: RotationRows

    /// Builds the table; `rotaryDim` must be even and positive.
    public init(rotaryDim: Int, maxPositions: Int, base: Float, scaling: RoPEScaling = .none) {
        precondition(rotaryDim > 0 && rotaryDim % 2 == 0, "RoPETable: rotaryDim must be even and positive")
        self.rotaryDim = rotaryDim
        self.maxPositions = maxPositions
        var magnitude: Double = 1
        if case .frequencyFactors(_, let attentionFactor) = scaling { magnitude = Double(attentionFactor) }
        rows = RotationRows(
            frequencies: RoPETable.inverseFrequencies(rotaryDim: rotaryDim, base: base, scaling: scaling),
            magnitude: magnitude, positions: maxPositions)
    }

    /// The cosines and sines at `position` (`rotaryDim / 2` each).
    @inline(__always)
    func row(_ position: Int) -> (cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        rows.row(position)
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

/// The storage of a `RoPETable`: rows filled under a lock up to a high-water mark that readers
/// check without one (release/acquire), so filled rows are never written again.
private final class RotationRows: @unchecked Sendable {
    /// Positions filled at a time.
    private static let block = 256
    private let frequencies: [Float]
    private let magnitude: Double
    private let positions: Int
    /// Row-major [positions, rotaryDim / 2]; pages are touched only as rows are filled.
    private let cosines: UnsafeMutablePointer<Float>
    private let sines: UnsafeMutablePointer<Float>
    private let filled = Atomic<Int>(0)
    private let lock = NSLock()

    init(frequencies: [Float], magnitude: Double, positions: Int) {
        self.frequencies = frequencies
        self.magnitude = magnitude
        self.positions = positions
        cosines = .allocate(capacity: positions * frequencies.count)
        sines = .allocate(capacity: positions * frequencies.count)
    }

    deinit {
        cosines.deallocate()
        sines.deallocate()
    }

    @inline(__always)
    func row(_ position: Int) -> (cos: UnsafePointer<Float>, sin: UnsafePointer<Float>) {
        if position >= filled.load(ordering: .acquiring) { fill(through: position) }
        let offset = position * frequencies.count
        return (UnsafePointer(cosines + offset), UnsafePointer(sines + offset))
    }

    private func fill(through position: Int) {
        lock.withLock {
            let start = filled.load(ordering: .relaxed)
            guard position >= start else { return }
            let end = min(positions, (position / Self.block + 1) * Self.block)
            for p in start..<end {
                for (i, frequency) in frequencies.enumerated() {
                    // Float32 angle as in the HF reference, then cos/sin of that angle.
                    let angle = Double(Float(p) * frequency)
                    cosines[p * frequencies.count + i] = Float(magnitude * Foundation.cos(angle))
                    sines[p * frequencies.count + i] = Float(magnitude * Foundation.sin(angle))
                }
            }
            filled.store(end, ordering: .releasing)
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
    KernelMath.forEachChunk(of: rows, costPerItem: heads * headDim) { range in
        for row in range {
            let position = Int(positions[row])
            precondition(position >= 0 && position < table.maxPositions,
                         "rope: position \(position) outside the table (0..<\(table.maxPositions))")
            let (c, s) = table.row(position)
            for head in 0..<heads {
                let x = input.baseAddress! + (row * heads + head) * headDim
                let y = out.baseAddress! + (row * heads + head) * headDim
                if pairing == .rotateHalf && half % 16 == 0 {
                    rotateHalves(x, into: y, cos: c, sin: s, half: half, sinSign: sinSign, accumulate: accumulate)
                } else {
                    for i in 0..<half {
                        let first = stride.first(i), second = stride.second(i)
                        let a = x[first], b = x[second]
                        let sine = sinSign * s[i]
                        let newA = a * c[i] - b * sine, newB = b * c[i] + a * sine
                        if accumulate { y[first] += newA; y[second] += newB } else { y[first] = newA; y[second] = newB }
                    }
                }
                for i in rotary..<headDim {
                    if accumulate { y[i] += x[i] } else { y[i] = x[i] }
                }
            }
        }
    }
}

/// `ropeApply`'s pairs (i, i + half) of one head, 16 at a time (`half` a multiple of 16), with
/// the scalar loop's products and sums.
@inline(__always)
private func rotateHalves(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, cos c: UnsafePointer<Float>,
                          sin s: UnsafePointer<Float>, half: Int, sinSign: Float, accumulate: Bool) {
    func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
    for i in stride(from: 0, to: half, by: 16) {
        let a = load(x + i), b = load(x + half + i), cosine = load(c + i)
        let sine = SIMD16(repeating: sinSign) * load(s + i)
        var newA = a * cosine - b * sine, newB = b * cosine + a * sine
        if accumulate {
            newA += load(y + i)
            newB += load(y + half + i)
        }
        UnsafeMutableRawPointer(y + i).storeBytes(of: newA, as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(y + half + i).storeBytes(of: newB, as: SIMD16<Float>.self)
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
