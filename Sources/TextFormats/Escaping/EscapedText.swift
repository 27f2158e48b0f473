/// The one loop behind every escaper here: each Unicode scalar of a text either stands as it is
/// or is replaced by its escape.
enum EscapedText {
    /// `text` with each scalar for which `escape` gives a replacement replaced, between `quote`s.
    static func escaping(_ text: String, quote: String = "", _ escape: (Unicode.Scalar) -> String?) -> String {
        var out = quote
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 2 * quote.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if let replacement = escape(scalar) {
                out += replacement
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + quote
    }

    /// `value` as exactly `digits` lowercase hex digits (fewer only when it needs more).
    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
