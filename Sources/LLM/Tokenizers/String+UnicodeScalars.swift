/// Literal string operations on Unicode scalars. `String`'s own `hasPrefix` and Foundation's
/// `replacingOccurrences` compare whole characters, so a space followed by a combining mark
/// (one character) would not count as a space; tokenizers work on scalars.
extension String {
    /// Whether the scalars of `prefix` start this string's scalars.
    func hasScalarPrefix(_ prefix: String) -> Bool {
        unicodeScalars.starts(with: prefix.unicodeScalars)
    }

    /// The string without its first `count` scalars.
    func droppingScalars(_ count: Int) -> String {
        String(unicodeScalars.dropFirst(count))
    }

    /// Every non-overlapping occurrence of `target`'s scalars, left to right, replaced.
    func replacingScalars(_ target: String, with replacement: String) -> String {
        let needle = Array(target.unicodeScalars)
        guard let first = needle.first else { return self }
        let scalars = Array(unicodeScalars)
        var result = String.UnicodeScalarView()
        var i = 0
        var changed = false
        while i < scalars.count {
            if scalars[i] == first, i + needle.count <= scalars.count,
               scalars[i..<(i + needle.count)].elementsEqual(needle) {
                result.append(contentsOf: replacement.unicodeScalars)
                i += needle.count
                changed = true
            } else {
                result.append(scalars[i])
                i += 1
            }
        }
        return changed ? String(result) : self
    }
}
