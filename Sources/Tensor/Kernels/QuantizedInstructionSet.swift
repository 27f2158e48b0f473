import CQuantKernels
import Foundation

/// The instructions the integer quantized kernels (`quantizedLinearForward`) use.
///
/// Chosen once per process: the widest set the CPU has, unless the environment variable
/// `SWIFT_GRPO_KERNELS` names another (`portable`, `avx2`, `avx512vnni`; a set the CPU lacks
/// falls back to the best one it has). Every set gives the same integer sums per block; only the
/// Float32 rounding of the per-block scaling differs (≤ a few ulps of the result).
public enum QuantizedInstructionSet: Int32, CaseIterable, Sendable, CustomStringConvertible {
    /// Plain C loops (any CPU).
    case portable = 0
    /// 256-bit `vpmaddubsw`/`vpmaddwd` byte products (x86-64 with AVX2, FMA and F16C).
    case avx2 = 1
    /// 512-bit `vpdpbusd` byte products, 16 weight rows a register (AVX-512 F, BW, VL and VNNI);
    /// Q5_K keeps 256-bit row kernels.
    case avx512VNNI = 2

    /// The environment variable that overrides the choice.
    public static let environmentVariable = "SWIFT_GRPO_KERNELS"

    /// The sets this CPU runs, narrowest first (always starts with `.portable`).
    public static let available: [QuantizedInstructionSet] = {
        let bits = cqk_available_instruction_sets()
        return allCases.filter { bits & (1 << $0.rawValue) != 0 }
    }()

    /// The widest set this CPU runs.
    public static var best: QuantizedInstructionSet { available.last ?? .portable }

    /// The set named by `value` (as in `SWIFT_GRPO_KERNELS`) if this CPU runs it, else `best`;
    /// nil or an unknown name also gives `best`.
    public static func chosen(byEnvironmentValue value: String?) -> QuantizedInstructionSet {
        guard let value, let named = QuantizedInstructionSet(name: value), available.contains(named) else { return best }
        return named
    }

    /// The set kernels use unless a caller passes another: `SWIFT_GRPO_KERNELS` or `best`.
    public static let current: QuantizedInstructionSet =
        chosen(byEnvironmentValue: ProcessInfo.processInfo.environment[environmentVariable])

    /// `portable`, `avx2` or `avx512vnni` (case-insensitive).
    public init?(name: String) {
        guard let match = QuantizedInstructionSet.allCases.first(where: { $0.description == name.lowercased() }) else {
            return nil
        }
        self = match
    }

    public var description: String {
        switch self {
        case .portable: return "portable"
        case .avx2: return "avx2"
        case .avx512VNNI: return "avx512vnni"
        }
    }
}
