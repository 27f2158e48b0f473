/// Python `str` methods with Python's exact semantics (code-point based).
enum PythonText {
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || (0x1C...0x1F).contains(c.value)
    }

    static func strip(_ s: String, chars: String?, leading: Bool, trailing: Bool) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        let remove: (Unicode.Scalar) -> Bool = { c in set.map { $0.contains(c) } ?? isSpace(c) }
        var scalars = Substring(s).unicodeScalars[...]
        if leading { while let f = scalars.first, remove(f) { scalars.removeFirst() } }
        if trailing { while let l = scalars.last, remove(l) { scalars.removeLast() } }
        return String(String.UnicodeScalarView(scalars))
    }

    static func split(_ s: String, separator: String?, maxSplit: Int) -> [String] {
        let scalars = Array(s.unicodeScalars)
        var parts = [String]()
        guard let separator else {
            var i = 0
            while i < scalars.count {
                while i < scalars.count, isSpace(scalars[i]) { i += 1 }
                guard i < scalars.count else { break }
                if maxSplit >= 0, parts.count == maxSplit {
                    parts.append(make(scalars[i...]).trailingStripped())
                    return parts
                }
                let start = i
                while i < scalars.count, !isSpace(scalars[i]) { i += 1 }
                parts.append(make(scalars[start..<i]))
            }
            return parts
        }
        let sep = Array(separator.unicodeScalars)
        var start = 0, i = 0
        while i + sep.count <= scalars.count {
            if maxSplit >= 0, parts.count == maxSplit { break }
            if Array(scalars[i..<i + sep.count]) == sep {
                parts.append(make(scalars[start..<i]))
                i += sep.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(make(scalars[start...]))
        return parts
    }

    static func rsplit(_ s: String, separator: String?, maxSplit: Int) -> [String] {
        guard maxSplit >= 0 else { return split(s, separator: separator, maxSplit: -1) }
        let reversed = String(String.UnicodeScalarView(s.unicodeScalars.reversed()))
        let sepReversed = separator.map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }
        return split(reversed, separator: sepReversed, maxSplit: maxSplit)
            .map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }.reversed()
    }

    static func replace(_ s: String, _ old: String, _ new: String, count: Int) -> String {
        if old.isEmpty {
            var out = String.UnicodeScalarView()
            var done = 0
            for c in s.unicodeScalars {
                if count < 0 || done < count { out.append(contentsOf: new.unicodeScalars); done += 1 }
                out.append(c)
            }
            if count < 0 || done < count { out.append(contentsOf: new.unicodeScalars) }
            return String(out)
        }
        let parts = split(s, separator: old, maxSplit: count)
        return parts.joined(separator: new)
    }

    /// Python `str.title()`: a letter after a non-letter is uppercased, other letters lowercased.
    static func title(_ s: String) -> String {
        var out = ""
        var previousIsLetter = false
        for c in s.unicodeScalars {
            let isLetter = c.properties.isAlphabetic
            out += isLetter ? (previousIsLetter ? String(c).lowercased() : String(c).uppercased()) : String(c)
            previousIsLetter = isLetter
        }
        return out
    }

    /// Python `str.capitalize()`: first character uppercased, the rest lowercased.
    static func capitalize(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        return String(first).uppercased() + String(String.UnicodeScalarView(s.unicodeScalars.dropFirst())).lowercased()
    }

    /// Python `str.format` for `{}`, `{0}`, `{name}` and `{{`/`}}` (no format specs).
    static func format(_ s: String, arguments: [TemplateValue], keywords: [(String, TemplateValue)],
                       renderer: TemplateRenderer) throws -> String {
        var out = ""
        var automatic = 0
        var scalars = Array(s.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if c == "{" {
                if scalars.first == "{" { scalars.removeFirst(); out += "{"; continue }
                var field = ""
                while let d = scalars.popFirst(), d != "}" { field.unicodeScalars.append(d) }
                let value: TemplateValue
                if field.isEmpty {
                    guard automatic < arguments.count else { throw renderer.fail("format: not enough arguments") }
                    value = arguments[automatic]
                    automatic += 1
                } else if let index = Int(field) {
                    guard index < arguments.count else { throw renderer.fail("format: index \(index) out of range") }
                    value = arguments[index]
                } else {
                    guard let match = keywords.first(where: { $0.0 == field }) else { throw renderer.fail("format: no '\(field)'") }
                    value = match.1
                }
                out += value.text
            } else if c == "}" {
                if scalars.first == "}" { scalars.removeFirst() }
                out += "}"
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func make(_ slice: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: slice)
        return String(view)
    }
}

private extension String {
    func trailingStripped() -> String { PythonText.strip(self, chars: nil, leading: false, trailing: true) }
}
