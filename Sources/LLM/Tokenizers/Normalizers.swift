import Foundation

/// A text transformation applied to each piece between added tokens, before pre-tokenization.
public protocol Normalizer: Sendable {
    func normalize(_ text: String) -> String
}

/// Several normalizers, in order.
struct NormalizerSequence: Normalizer {
    var normalizers: [Normalizer]
    func normalize(_ text: String) -> String {
        normalizers.reduce(text) { $1.normalize($0) }
    }
}

/// Unicode normalization forms.
struct UnicodeNormalizer: Normalizer {
    enum Form { case nfc, nfd, nfkc, nfkd }
    var form: Form
    func normalize(_ text: String) -> String {
        switch form {
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        }
    }
}

/// Per-character lowercase mapping (context-free, like Rust's `char::to_lowercase`).
struct LowercaseNormalizer: Normalizer {
    func normalize(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 128 }) { return text.lowercased() }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 128 {
                let v = scalar.value
                result.append(v >= 65 && v <= 90 ? Unicode.Scalar(UInt8(v + 32)) : scalar)
            } else if scalar.properties.changesWhenLowercased {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}

/// Removes combining marks; meant to follow NFD. The StripAccents normalizer removes every
/// mark (Mn, Mc, Me); BERT's normalizer only nonspacing ones (Mn).
struct StripAccentsNormalizer: Normalizer {
    var nonspacingOnly = false

    func normalize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        // Marks start at U+0300, so lower scalars need no property lookup.
        for scalar in text.unicodeScalars where scalar.value < 0x300 || !isRemoved(scalar) {
            result.append(scalar)
        }
        return String(result)
    }

    private func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark: return true
        case .spacingMark, .enclosingMark: return !nonspacingOnly
        default: return false
        }
    }
}

/// Replaces every occurrence of a literal string.
struct ReplaceNormalizer: Normalizer {
    var pattern: String
    var content: String
    func normalize(_ text: String) -> String {
        text.replacingScalars(pattern, with: content)
    }
}

/// Prepends a string to every non-empty piece.
struct PrependNormalizer: Normalizer {
    var prefix: String
    func normalize(_ text: String) -> String {
        text.isEmpty ? text : prefix + text
    }
}

/// Strips whitespace at the left and/or right.
struct StripNormalizer: Normalizer {
    var left: Bool
    var right: Bool
    func normalize(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        if left { while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() } }
        if right { while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() } }
        return String(scalars)
    }
}

/// BERT's normalizer: clean control characters, space out CJK ideographs, strip accents, lowercase.
struct BertNormalizer: Normalizer {
    var cleanText = true
    var handleChineseCharacters = true
    var stripAccents: Bool? = nil
    var lowercase = true

    func normalize(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 128 }) { return normalizeASCII(text) }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
                if Self.isWhitespace(scalar) {
                    result.append(" ")
                    continue
                }
            }
            if handleChineseCharacters && Self.isChinese(scalar) {
                result.append(" ")
                result.append(scalar)
                result.append(" ")
            } else {
                result.append(scalar)
            }
        }
        var normalized = String(result)
        if stripAccents ?? lowercase {
            normalized = StripAccentsNormalizer(nonspacingOnly: true)
                .normalize(normalized.decomposedStringWithCanonicalMapping)
        }
        if lowercase { normalized = LowercaseNormalizer().normalize(normalized) }
        return normalized
    }

    /// The same result for ASCII text, without Unicode property lookups.
    private func normalizeASCII(_ text: String) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if cleanText {
                if byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    bytes.append(0x20)
                    continue
                }
                if byte < 0x20 || byte == 0x7F { continue }
            }
            bytes.append(lowercase && byte >= 65 && byte <= 90 ? byte + 32 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 128 { return scalar == " " || (scalar.value >= 9 && scalar.value <= 13) }
        return scalar.properties.isWhitespace
    }

    /// Categories Cc, Cf, Cn, Co, Cs, except tab and newlines.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        if scalar.value < 128 { return scalar.value < 0x20 || scalar.value == 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    static func isChinese(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
