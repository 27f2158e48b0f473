import Foundation

/// Global math functions (Foundation's), min/max/abs, and the C constants M_PI and M_E.
extension StandardLibrary {
    static func registerMath(in registry: NativeRegistry) {
        let unary: [(String, String, (Double) -> Double)] = [
            ("exp", "e raised to x.", exp), ("exp2", "2 raised to x.", exp2), ("expm1", "exp(x) - 1, accurate near 0.", expm1),
            ("log", "The natural logarithm.", log), ("log2", "The base-2 logarithm.", log2), ("log10", "The base-10 logarithm.", log10),
            ("log1p", "log(1 + x), accurate near 0.", log1p),
            ("sqrt", "The square root.", sqrt), ("cbrt", "The cube root.", cbrt),
            ("floor", "The largest whole number not above x.", floor), ("ceil", "The smallest whole number not below x.", ceil),
            ("round", "x rounded to the nearest whole number, halves away from zero.", round),
            ("trunc", "x with its fractional part removed.", trunc), ("fabs", "The absolute value.", fabs),
            ("sin", "The sine (radians).", sin), ("cos", "The cosine (radians).", cos), ("tan", "The tangent (radians).", tan),
            ("asin", "The arcsine, in radians.", asin), ("acos", "The arccosine, in radians.", acos), ("atan", "The arctangent, in radians.", atan),
            ("sinh", "The hyperbolic sine.", sinh), ("cosh", "The hyperbolic cosine.", cosh), ("tanh", "The hyperbolic tangent.", tanh),
            ("asinh", "The inverse hyperbolic sine.", asinh), ("acosh", "The inverse hyperbolic cosine.", acosh),
            ("atanh", "The inverse hyperbolic tangent.", atanh),
        ]
        for (name, doc, f) in unary {
            registry.function(name, [.positional("x", "Double")], returns: "Double", doc: doc) { call in
                .double(f(try call.double("x")))
            }
        }
        let binary: [(String, String, String, String, (Double, Double) -> Double)] = [
            ("pow", "x", "y", "x raised to the power y.", pow), ("atan2", "y", "x", "The angle of the point (x, y), in radians.", atan2),
            ("hypot", "x", "y", "sqrt(x*x + y*y) without overflow.", hypot), ("fmod", "x", "y", "The remainder of x / y, truncated.", fmod),
        ]
        for (name, a, b, doc, f) in binary {
            registry.function(name, [.positional(a, "Double"), .positional(b, "Double")], returns: "Double", doc: doc) { call in
                .double(f(try call.double(a), try call.double(b)))
            }
        }
        registry.function("abs", [.positional("x", "Number")], returns: "Number",
                          doc: "The absolute value (an Int for an Int, a Double for a Double).") { call in
            switch call["x"] {
            case .int(let i):
                guard i != .min else { throw call.error("arithmetic overflow: abs(\(i)) does not fit in Int", kind: .overflow) }
                return .int(Swift.abs(i))
            default: return .double(Swift.abs(try call.double("x")))
            }
        }
        registry.function("min", [.positional("x", "Comparable"), .positional("y", "Comparable"), .variadic("rest", "Comparable")],
                          returns: "Comparable", doc: "The smallest of the arguments.") { call in
            try extreme(call, smallest: true)
        }
        registry.function("max", [.positional("x", "Comparable"), .positional("y", "Comparable"), .variadic("rest", "Comparable")],
                          returns: "Comparable", doc: "The largest of the arguments.") { call in
            try extreme(call, smallest: false)
        }
        registry.constant("M_PI", .double(Double.pi), doc: "π, 3.141592653589793.")
        registry.constant("M_E", .double(M_E), doc: "e, 2.718281828459045.")
    }

    /// min/max over two or more values; Ints mixed with Doubles become Doubles as literals would.
    private static func extreme(_ call: NativeCall, smallest: Bool) throws -> Value {
        var values = [call["x"], call["y"]] + (try call.array("rest"))
        if values.contains(where: { if case .double = $0 { return true }; return false }) {
            values = values.map { if case .int(let i) = $0 { return .double(Double(i)) }; return $0 }
        }
        var result = values[0]
        for value in values.dropFirst() {
            // Swift: min returns the first of equal values, max the last.
            let replace = smallest ? try ValueOrdering.isLess(value, result, call) : !(try ValueOrdering.isLess(value, result, call))
            if replace { result = value }
        }
        return result
    }
}
