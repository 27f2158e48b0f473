import GRPO

/// Conversions between the cell language's values and dataset cells (JSON-shaped values).
enum DatasetValueBridge {
    /// A dataset cell as a language value: objects become `[String: …]` dictionaries, null is `nil`.
    static func value(_ cell: DatasetValue) -> Value {
        switch cell {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(value))
        case .object(let fields):
            return .dictionary(DictionaryValue(fields.keys.sorted().map { (.string($0), value(fields[$0]!)) }))
        }
    }

    /// A dataset row as a `[String: …]` dictionary, in column order.
    static func value(_ row: DatasetRow, columns: [String]) -> Value {
        // Linear in the row's width: a set, not `columns.contains`, for the leftover columns.
        let known = Set(columns)
        let ordered = columns.filter(row.has) + row.columns.filter { !known.contains($0) }
        return .dictionary(DictionaryValue(ordered.map { (.string($0), value(row[$0])) }))
    }

    /// A language value as a dataset cell; throws for values JSON cannot hold (closures, models).
    static func cell(_ value: Value, at path: String) throws -> DatasetValue {
        switch value {
        case .optional(nil): return .null
        case .optional(let inner?): return try cell(inner, at: path)
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let items):
            return .array(try items.enumerated().map { try cell($1, at: "\(path)[\($0)]") })
        case .tuple(let tuple):
            return .array(try tuple.values.enumerated().map { try cell($1, at: "\(path).\($0)") })
        case .dictionary(let dictionary):
            var fields: [String: DatasetValue] = [:]
            for (key, item) in dictionary.pairs {
                guard case .string(let name) = key else {
                    throw RuntimeError("\(path): dataset rows need String keys, got a \(key.typeName) key", kind: .typeMismatch)
                }
                fields[name] = try cell(item, at: "\(path)[\"\(name)\"]")
            }
            return .object(fields)
        default:
            throw RuntimeError("\(path): a \(value.typeName) cannot be stored in a dataset (use String, Int, Double, Bool, "
                               + "arrays or [String: …] dictionaries)", kind: .typeMismatch)
        }
    }

    /// A `[String: …]` dictionary as a dataset row.
    static func row(_ value: Value, at path: String) throws -> DatasetRow {
        guard case .dictionary(let dictionary) = value.unwrapped ?? .void else {
            throw RuntimeError("\(path) must return a [String: …] dictionary (one row), got \(value.typeName)", kind: .typeMismatch)
        }
        guard case .object(let fields) = try cell(.dictionary(dictionary), at: path) else { return DatasetRow() }
        return DatasetRow(fields)
    }

    /// Scores as a `[Double?]` array.
    static func scores(_ values: [Double?]) -> Value {
        .array(values.map { $0.map { .optional(.double($0)) } ?? .null })
    }

    /// A `[Double?]` result from a cell (Ints become Doubles, `nil` stays nil).
    static func scores(_ value: Value, from name: String) throws -> [Double?] {
        guard case .array(let items) = value.unwrapped ?? .void else {
            throw RuntimeError("reward '\(name)' must return [Double?] (one score per completion), got \(value.typeName)",
                               kind: .typeMismatch)
        }
        return try items.enumerated().map { index, item -> Double? in
            guard let inner = item.unwrapped else { return nil }
            return try Convert.double(inner, or: RuntimeError(
                "reward '\(name)' returned a \(inner.typeName) at index \(index); scores must be Double or nil", kind: .typeMismatch))
        }
    }

    /// Strings from an array argument (each element a String, or nil → "").
    static func strings(_ value: Value, name: String) throws -> [String] {
        guard case .array(let items) = value.unwrapped ?? .void else {
            throw RuntimeError("'\(name)' must be [String], got \(value.typeName)", kind: .typeMismatch)
        }
        return try items.map { item in
            guard let inner = item.unwrapped else { return "" }
            return try Convert.string(inner, or: RuntimeError("'\(name)' must be [String], found a \(inner.typeName)", kind: .typeMismatch))
        }
    }
}
