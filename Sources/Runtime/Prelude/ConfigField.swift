import TextFormats

/// One setting of a configuration struct as cells see it: its label, type, doc, and how to read
/// it and write it with a type check whose message names the setting and what it accepts.
///
/// `GRPOConfig` and `LoRAConfig` in cells are built from tables of these: the initializer takes
/// every field by label (defaults from the Swift type), and `config.field = value` goes through
/// the same setter.
struct ConfigField<Config> {
    let name: String
    let type: String
    let doc: String
    let get: (Config) -> Value
    let set: (inout Config, Value) throws -> Void

    /// `name: Type = default`, as inspect shows a parameter.
    func parameter(defaults: Config) -> NativeParameter {
        .labeled(name, type, default: get(defaults))
    }

    private static func mismatch(_ name: String, _ expected: String, _ value: Value) -> RuntimeError {
        RuntimeError("\(name) must be \(expected), got \(value.typeName)", kind: .typeMismatch)
    }

    static func double(_ name: String, _ path: WritableKeyPath<Config, Double>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "Double", doc: doc, get: { .double($0[keyPath: path]) }) { config, value in
            config[keyPath: path] = try Convert.double(value, or: mismatch(name, "a number", value))
        }
    }

    static func int(_ name: String, _ path: WritableKeyPath<Config, Int>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "Int", doc: doc, get: { .int($0[keyPath: path]) }) { config, value in
            config[keyPath: path] = try Convert.int(value, or: mismatch(name, "an Int", value))
        }
    }

    static func bool(_ name: String, _ path: WritableKeyPath<Config, Bool>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "Bool", doc: doc, get: { .bool($0[keyPath: path]) }) { config, value in
            config[keyPath: path] = try Convert.bool(value, or: mismatch(name, "true or false", value))
        }
    }

    static func string(_ name: String, _ path: WritableKeyPath<Config, String>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "String", doc: doc, get: { .string($0[keyPath: path]) }) { config, value in
            config[keyPath: path] = try Convert.string(value, or: mismatch(name, "a String", value))
        }
    }

    static func strings(_ name: String, _ path: WritableKeyPath<Config, [String]>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "[String]", doc: doc, get: { .strings($0[keyPath: path]) }) { config, value in
            let items = try Convert.array(value, or: mismatch(name, "a [String]", value))
            config[keyPath: path] = try items.map { try Convert.string($0, or: mismatch(name, "a [String]", value)) }
        }
    }

    /// A seed: a non-negative Int in cells, UInt64 in Swift.
    static func seed(_ name: String, _ path: WritableKeyPath<Config, UInt64>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "Int", doc: doc, get: { .int(Int(truncatingIfNeeded: $0[keyPath: path])) }) { config, value in
            let seed = try Convert.int(value, or: mismatch(name, "an Int", value))
            guard seed >= 0 else { throw RuntimeError("\(name) is \(seed); use a seed ≥ 0", kind: .invalidOperation) }
            config[keyPath: path] = UInt64(seed)
        }
    }

    static func optionalString(_ name: String, _ path: WritableKeyPath<Config, String?>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "String?", doc: doc, get: { optional($0[keyPath: path].map(Value.string)) }) { config, value in
            config[keyPath: path] = try value.unwrapped.map { try Convert.string($0, or: mismatch(name, "a String or nil", value)) }
        }
    }

    static func optionalDouble(_ name: String, _ path: WritableKeyPath<Config, Double?>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "Double?", doc: doc, get: { optional($0[keyPath: path].map(Value.double)) }) { config, value in
            config[keyPath: path] = try value.unwrapped.map { try Convert.double($0, or: mismatch(name, "a number or nil", value)) }
        }
    }

    static func optionalInt(_ name: String, _ path: WritableKeyPath<Config, Int?>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "Int?", doc: doc, get: { optional($0[keyPath: path].map(Value.int)) }) { config, value in
            config[keyPath: path] = try value.unwrapped.map { try Convert.int($0, or: mismatch(name, "an Int or nil", value)) }
        }
    }

    static func optionalBool(_ name: String, _ path: WritableKeyPath<Config, Bool?>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "Bool?", doc: doc, get: { optional($0[keyPath: path].map(Value.bool)) }) { config, value in
            config[keyPath: path] = try value.unwrapped.map { try Convert.bool($0, or: mismatch(name, "true, false or nil", value)) }
        }
    }

    static func optionalDoubles(_ name: String, _ path: WritableKeyPath<Config, [Double]?>, _ doc: String) -> ConfigField {
        ConfigField(name: name, type: "[Double]?", doc: doc,
                    get: { optional($0[keyPath: path].map { .array($0.map(Value.double)) }) }) { config, value in
            config[keyPath: path] = try value.unwrapped.map { list in
                try Convert.array(list, or: mismatch(name, "a [Double] or nil", value)).map {
                    try Convert.double($0, or: mismatch(name, "a [Double] or nil", value))
                }
            }
        }
    }

    /// One of a fixed set of names, given as a string (TRL's spelling, `"dr_grpo"`) or as a
    /// member (`.drGRPO`, `.dapo`).
    static func choice<T: RawRepresentable & Equatable>(_ name: String, _ path: WritableKeyPath<Config, T>, _ allowed: [T],
                                                        _ doc: String) -> ConfigField where T.RawValue == String {
        let list = allowed.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        return ConfigField(name: name, type: "String", doc: doc + " One of \(list).",
                           get: { .string($0[keyPath: path].rawValue) }) { config, value in
            let given: String
            switch value.unwrapped ?? value {
            case .string(let text): given = text
            case .enumCase(let member): given = member.name
            default: throw mismatch(name, "one of \(list)", value)
            }
            let key = { (text: String) in text.lowercased().replacingOccurrences(of: "_", with: "") }
            guard let choice = allowed.first(where: { $0.rawValue == given || key($0.rawValue) == key(given) }) else {
                let hint = NameSuggestion.closest(to: given, among: allowed.map(\.rawValue)).map { " (did you mean \"\($0)\"?)" } ?? ""
                throw RuntimeError("\(name) \"\(given)\" is not allowed\(hint); use one of \(list)", kind: .invalidOperation)
            }
            config[keyPath: path] = choice
        }
    }

    private static func optional(_ value: Value?) -> Value { value.map { .optional($0) } ?? .null }
}
