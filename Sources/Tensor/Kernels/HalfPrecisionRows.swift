import CQuantKernels

/// Conversions between Float32 rows and IEEE half-precision rows (a Float16 KV cache), with
/// F16C on CPUs that have it and the same bits without it.
public enum HalfPrecisionRows {
    /// Rounds `count` floats to halves (to nearest, ties to even; overflow gives infinity).
    public static func store(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<UInt16>,
                             instructionSet: QuantizedInstructionSet = .current) {
        cqk_floats_to_halves(instructionSet.rawValue, x, out, Int64(count))
    }

    /// The floats `count` halves stand for (exact).
    public static func load(_ x: UnsafePointer<UInt16>, count: Int, into out: UnsafeMutablePointer<Float>,
                            instructionSet: QuantizedInstructionSet = .current) {
        cqk_halves_to_floats(instructionSet.rawValue, x, out, Int64(count))
    }

    /// `values` rounded to halves.
    public static func rounded(_ values: [Float], instructionSet: QuantizedInstructionSet = .current) -> [UInt16] {
        var halves = [UInt16](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { x in
            halves.withUnsafeMutableBufferPointer { h in
                if let source = x.baseAddress, let target = h.baseAddress {
                    store(source, count: x.count, into: target, instructionSet: instructionSet)
                }
            }
        }
        return halves
    }

    /// The floats `halves` stand for.
    public static func floats(_ halves: [UInt16], instructionSet: QuantizedInstructionSet = .current) -> [Float] {
        var values = [Float](repeating: 0, count: halves.count)
        halves.withUnsafeBufferPointer { h in
            values.withUnsafeMutableBufferPointer { x in
                if let source = h.baseAddress, let target = x.baseAddress {
                    load(source, count: h.count, into: target, instructionSet: instructionSet)
                }
            }
        }
        return values
    }
}
