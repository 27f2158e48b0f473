import Foundation

/// Members of Int, Double and Bool, and their static constants.
extension StandardLibrary {
    static func registerNumbers(in registry: NativeRegistry) {
        registry.type("Int", doc: "A 64-bit signed integer.") { type in
            type.staticProperty("max", "Int", doc: "The largest Int, 9223372036854775807.") { .int(Int.max) }
            type.staticProperty("min", "Int", doc: "The smallest Int, -9223372036854775808.") { .int(Int.min) }
            type.property("description", "String", doc: "The number as text.") { .string(String(try int($0))) }
            type.property("magnitude", "Int", doc: "The absolute value.") { value in
                let i = try int(value)
                guard i != .min else { throw RuntimeError("arithmetic overflow: the magnitude of \(i) does not fit in Int", kind: .overflow) }
                return .int(Swift.abs(i))
            }
            type.method("signum", returns: "Int", doc: "-1, 0 or 1 by the sign.") { .int(try $0.receiverInt().signum()) }
            type.method("isMultiple", [.labeled("of", "Int")], returns: "Bool", doc: "Whether the number is a multiple of `of`.") { call in
                .bool(try call.receiverInt().isMultiple(of: call.int("of")))
            }
            type.method("quotientAndRemainder", [.labeled("dividingBy", "Int")], returns: "(quotient: Int, remainder: Int)",
                        doc: "The quotient and remainder of a division.") { call in
                let divisor = try call.int("dividingBy")
                guard divisor != 0 else { throw call.error("Division by zero", kind: .divisionByZero) }
                let n = try call.receiverInt()
                guard !(n == .min && divisor == -1) else { throw call.error("arithmetic overflow", kind: .overflow) }
                let (q, r) = n.quotientAndRemainder(dividingBy: divisor)
                return .tuple(TupleValue([.int(q), .int(r)], labels: ["quotient", "remainder"]))
            }
            type.method("advanced", [.labeled("by", "Int")], returns: "Int", doc: "The number plus `by`.") { call in
                let (sum, overflow) = try call.receiverInt().addingReportingOverflow(call.int("by"))
                guard !overflow else { throw call.error("arithmetic overflow", kind: .overflow) }
                return .int(sum)
            }
            type.staticMethod("random", [.labeled("in", "Range<Int>")], returns: "Int", doc: "A random Int in the range.") { call in
                let r = try range(call["in"])
                guard let ints = r.intRange, !ints.isEmpty else { throw call.error("the range must be a non-empty range of Int") }
                return .int(Int.random(in: ints))
            }
        }

        registry.type("Double", doc: "A 64-bit floating-point number.") { type in
            let constants: [(String, Double, String)] = [
                ("pi", .pi, "π, 3.141592653589793."), ("infinity", .infinity, "Positive infinity."), ("nan", .nan, "Not a number."),
                ("greatestFiniteMagnitude", .greatestFiniteMagnitude, "The largest finite Double."),
                ("leastNonzeroMagnitude", .leastNonzeroMagnitude, "The smallest positive Double (subnormal)."),
                ("leastNormalMagnitude", .leastNormalMagnitude, "The smallest positive normal Double."),
                ("ulpOfOne", .ulpOfOne, "The distance from 1.0 to the next Double."),
            ]
            for (name, value, doc) in constants {
                type.staticProperty(name, "Double", doc: doc) { .double(value) }
            }
            let tests: [(String, String, (Double) -> Bool)] = [
                ("isNaN", "Whether the value is NaN.", { $0.isNaN }), ("isInfinite", "Whether the value is ±infinity.", { $0.isInfinite }),
                ("isFinite", "Whether the value is finite.", { $0.isFinite }), ("isZero", "Whether the value is ±0.", { $0.isZero }),
                ("isNormal", "Whether the value is normal (not zero, subnormal, infinite or NaN).", { $0.isNormal }),
            ]
            for (name, doc, test) in tests {
                type.property(name, "Bool", doc: doc) { .bool(test(try double($0))) }
            }
            type.property("magnitude", "Double", doc: "The absolute value.") { .double(Swift.abs(try double($0))) }
            type.property("description", "String", doc: "The number as print shows it.") { .string(String(try double($0))) }
            type.property("ulp", "Double", doc: "The distance to the next larger Double.") { .double(try double($0).ulp) }
            type.method("squareRoot", returns: "Double", doc: "The square root.") { .double(try $0.receiverDouble().squareRoot()) }
            type.method("rounded", [.positional("rule", "FloatingPointRoundingRule", default: .null)], returns: "Double",
                        doc: "The value rounded to a whole number (halves away from zero, or by the rule: .down, .up, .towardZero, .toNearestOrEven).") { call in
                .double(try call.receiverDouble().rounded(roundingRule(call)))
            }
            type.method("truncatingRemainder", [.labeled("dividingBy", "Double")], returns: "Double",
                        doc: "The remainder of truncating division (like % for Ints).") { call in
                .double(try call.receiverDouble().truncatingRemainder(dividingBy: call.double("dividingBy")))
            }
            type.method("remainder", [.labeled("dividingBy", "Double")], returns: "Double",
                        doc: "The IEEE remainder (of division rounded to nearest).") { call in
                .double(try call.receiverDouble().remainder(dividingBy: call.double("dividingBy")))
            }
            type.method("signum", returns: "Double", doc: "-1.0, 0.0 or 1.0 by the sign.") { call in
                let d = try call.receiverDouble()
                return .double(d > 0 ? 1 : d < 0 ? -1 : d)
            }
            type.staticMethod("random", [.labeled("in", "Range<Double>")], returns: "Double", doc: "A random Double in the range.") { call in
                let r = try range(call["in"])
                let low = try Convert.double(r.lower, or: call.error("bad range")), high = try Convert.double(r.upper, or: call.error("bad range"))
                guard low.isFinite, high.isFinite, r.isClosed ? low <= high : low < high else {
                    throw call.error("the range must be a non-empty finite range")
                }
                return .double(r.isClosed ? Double.random(in: low...high) : Double.random(in: low..<high))
            }
            type.staticMethod("maximum", [.positional("x", "Double"), .positional("y", "Double")], returns: "Double",
                              doc: "The larger of two values (NaN if either is NaN).") { call in
                .double(Double.maximum(try call.double("x"), try call.double("y")))
            }
            type.staticMethod("minimum", [.positional("x", "Double"), .positional("y", "Double")], returns: "Double",
                              doc: "The smaller of two values (NaN if either is NaN).") { call in
                .double(Double.minimum(try call.double("x"), try call.double("y")))
            }
        }

        registry.type("Bool", doc: "true or false.") { type in
            type.property("description", "String", doc: "\"true\" or \"false\".") { value in
                .string(try Convert.bool(value, or: RuntimeError("expected a Bool")) ? "true" : "false")
            }
            type.mutatingMethod("toggle", doc: "Flips the value.") { receiver, call in
                receiver = .bool(!(try Convert.bool(receiver, or: call.error("expects a Bool receiver", kind: .typeMismatch))))
                return .void
            }
            type.staticMethod("random", returns: "Bool", doc: "true or false at random.") { _ in .bool(Bool.random()) }
        }
    }

    static func int(_ value: Value) throws -> Int {
        try Convert.int(value, or: RuntimeError("expected an Int, got \(value.typeName)", kind: .typeMismatch))
    }

    static func double(_ value: Value) throws -> Double {
        try Convert.double(value, or: RuntimeError("expected a Double, got \(value.typeName)", kind: .typeMismatch))
    }

    private static func roundingRule(_ call: NativeCall) throws -> FloatingPointRoundingRule {
        guard let rule = call.optional("rule") else { return .toNearestOrAwayFromZero }
        guard case .enumCase(let member) = rule else { throw call.error("expected a rounding rule such as .down", kind: .typeMismatch) }
        switch member.name {
        case "down": return .down
        case "up": return .up
        case "towardZero": return .towardZero
        case "awayFromZero": return .awayFromZero
        case "toNearestOrEven": return .toNearestOrEven
        case "toNearestOrAwayFromZero": return .toNearestOrAwayFromZero
        default: throw call.error("unknown rounding rule .\(member.name)")
        }
    }
}
