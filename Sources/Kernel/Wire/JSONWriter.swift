/// Serializes `JSONValue`s to UTF-8. Non-finite numbers become `null`: Jupyter clients parse with
/// `allow_nan=False`, so NaN or Infinity must never reach the wire.
public struct JSONWriter: Sendable {
    /// Spaces per nesting level; nil writes compact JSON.
    public var indent: Int?
    /// Writes object members in key order (notebooks diff cleanly).
    public var sortedKeys: Bool

    public init(indent: Int? = nil, sortedKeys: Bool = false) {
        self.indent = indent
        self.sortedKeys = sortedKeys
    }

    /// The UTF-8 bytes of `value`.
    public func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out, depth: 0)
        return out
    }

    /// `value` as a string.
    public func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    private func write(_ value: JSONValue, into out: inout [UInt8], depth: Int) {
        switch value {
        case .null: out += Array("null".utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .int(let number): out += Array(String(number).utf8)
        case .double(let number): writeNumber(number, into: &out)
        case .string(let text): writeString(text, into: &out)
        case .array(let items):
            if items.isEmpty { out += Array("[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(into: &out, depth: depth + 1)
                write(item, into: &out, depth: depth + 1)
            }
            newline(into: &out, depth: depth)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out += Array("{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            let keys = sortedKeys ? members.keys.sorted() : Array(members.keys)
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(into: &out, depth: depth + 1)
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                write(members[key] ?? .null, into: &out, depth: depth + 1)
            }
            newline(into: &out, depth: depth)
            out.append(UInt8(ascii: "}"))
        }
    }

    private func newline(into out: inout [UInt8], depth: Int) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        out += [UInt8](repeating: UInt8(ascii: " "), count: indent * depth)
    }

    private func writeNumber(_ number: Double, into out: inout [UInt8]) {
        guard number.isFinite else { out += Array("null".utf8); return }
        if number.rounded() == number, abs(number) < 1e15 {
            out += Array(String(Int(number)).utf8)
            out += Array(".0".utf8)
        } else {
            out += Array("\(number)".utf8)
        }
    }

    private func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
