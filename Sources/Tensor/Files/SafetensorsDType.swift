/// The element types of a safetensors file, spelled as in its header.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case float64 = "F64", float32 = "F32", float16 = "F16", bfloat16 = "BF16"
    case int64 = "I64", int32 = "I32", int16 = "I16", int8 = "I8"
    case uint64 = "U64", uint32 = "U32", uint16 = "U16", uint8 = "U8", bool = "BOOL"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float64, .int64, .uint64: return 8
        case .float32, .int32, .uint32: return 4
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// The reference writer orders tensors by dtype, highest rank first (its `Dtype` enum order).
    var writeOrderRank: Int {
        switch self {
        case .bool: return 0
        case .uint8: return 4
        case .int8: return 5
        case .int16: return 9
        case .uint16: return 10
        case .float16: return 11
        case .bfloat16: return 12
        case .int32: return 13
        case .uint32: return 14
        case .float32: return 15
        case .float64: return 17
        case .int64: return 18
        case .uint64: return 19
        }
    }

    /// True for the floating-point types, which convert to a Float32 `Tensor`.
    public var isFloatingPoint: Bool {
        switch self {
        case .float64, .float32, .float16, .bfloat16: return true
        default: return false
        }
    }
}

/// Float32 ⇄ 16-bit float conversions used by the file formats.
public enum HalfPrecision {
    /// bfloat16 bits → Float (exact).
    @inlinable
    public static func float(bfloat16 bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// Float → bfloat16 bits, rounding to nearest even; NaN stays a quiet NaN.
    @inlinable
    public static func bfloat16(_ value: Float) -> UInt16 {
        let u = value.bitPattern
        if value.isNaN { return UInt16(u >> 16) | 0x0040 }
        return UInt16((u &+ 0x7FFF &+ ((u >> 16) & 1)) >> 16)
    }

    /// IEEE half bits → Float (exact).
    @inlinable
    public static func float(float16 bits: UInt16) -> Float { Float(Float16(bitPattern: bits)) }

    /// Float → IEEE half bits, rounding to nearest even.
    @inlinable
    public static func float16(_ value: Float) -> UInt16 { Float16(value).bitPattern }
}
