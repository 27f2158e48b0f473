import Foundation
import Tensor

extension DatasetValue {
    /// Compact JSON for this value; object keys are sorted so the text is deterministic.
    public var jsonString: String {
        var out = ""
        writeJSON(to: &out)
        return out
    }

    private func writeJSON(to out: inout String) {
        switch self {
        case .string(let value): out += JSONString.quoted(value)
        case .int(let value): out += String(value)
        case .double(let value):
            if value.isFinite {
                out += value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) + ".0" : String(value)
            } else {
                out += "null"
            }
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.writeJSON(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                out += JSONString.quoted(key)
                out += ":"
                fields[key, default: .null].writeJSON(to: &out)
            }
            out += "}"
        }
    }
}
