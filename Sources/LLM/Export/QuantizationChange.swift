import Foundation
import Tensor

/// How much exporting changed a quantized base: over every tensor written in the same type as
/// the base GGUF stored it, how many blocks differ byte for byte and how far the dequantized
/// values moved (merged and requantized against the base's own blocks).
public struct QuantizationChange: CustomStringConvertible, Equatable {
    /// Tensors written in their base type and compared.
    public private(set) var tensorsCompared = 0
    /// Compared tensors with at least one changed block.
    public private(set) var tensorsChanged = 0
    public private(set) var blocksCompared = 0
    public private(set) var blocksChanged = 0
    /// The largest |exported − base| over all compared values (after dequantizing both).
    public private(set) var maxAbsoluteDelta: Float = 0
    private var squaredDeltaSum: Double = 0
    private var valuesCompared = 0

    public init() {}

    /// The fraction of compared blocks that changed (0 when nothing was compared).
    public var fractionOfBlocksChanged: Double {
        blocksCompared == 0 ? 0 : Double(blocksChanged) / Double(blocksCompared)
    }

    /// The root mean square of exported − base over all compared values.
    public var rmsDelta: Double {
        valuesCompared == 0 ? 0 : (squaredDeltaSum / Double(valuesCompared)).squareRoot()
    }

    /// Compares one tensor's exported bytes with the base's, both stored as `type` in GGUF order.
    public mutating func compare(base: UnsafeRawBufferPointer, exported: [UInt8], type: GGMLType) {
        guard base.count == exported.count, let basePointer = base.baseAddress else { return }
        let blockBytes = type.typeSize, blocks = exported.count / blockBytes
        let elements = blocks * type.blockSize
        var changed = 0
        exported.withUnsafeBytes { raw in
            guard let exportedPointer = raw.baseAddress else { return }
            for block in 0..<blocks where memcmp(basePointer + block * blockBytes, exportedPointer + block * blockBytes, blockBytes) != 0 {
                changed += 1
            }
            guard changed > 0 else { return }
            var before = [Float](repeating: 0, count: elements), after = before
            _ = before.withUnsafeMutableBufferPointer { Dequantizer.dequantize(type, from: basePointer, count: elements, into: $0.baseAddress!) }
            _ = after.withUnsafeMutableBufferPointer { Dequantizer.dequantize(type, from: exportedPointer, count: elements, into: $0.baseAddress!) }
            for index in 0..<elements {
                let delta = after[index] - before[index]
                maxAbsoluteDelta = max(maxAbsoluteDelta, abs(delta))
                squaredDeltaSum += Double(delta) * Double(delta)
            }
        }
        tensorsCompared += 1
        if changed > 0 { tensorsChanged += 1 }
        blocksCompared += blocks
        blocksChanged += changed
        valuesCompared += elements
    }

    public var description: String {
        let percent = String(format: "%.2f", 100 * fractionOfBlocksChanged)
        return "the merge changed \(blocksChanged) of \(blocksCompared) blocks (\(percent)%) in \(tensorsChanged) of "
            + "\(tensorsCompared) tensors kept in their base type; max |Δw| \(maxAbsoluteDelta), rms Δw \(String(format: "%.3g", rmsDelta))"
    }

    /// The numbers as a JSON object.
    public var jsonObject: [String: Any] {
        ["tensors_compared": tensorsCompared, "tensors_changed": tensorsChanged,
         "blocks_compared": blocksCompared, "blocks_changed": blocksChanged,
         "fraction_of_blocks_changed": fractionOfBlocksChanged,
         "max_abs_delta": Double(maxAbsoluteDelta), "rms_delta": rmsDelta]
    }
}
