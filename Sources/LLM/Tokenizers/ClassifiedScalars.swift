/// The coarse Unicode classes the pre-tokenizer patterns test: `\p{L}`, `\p{N}`, `\s`, other.
enum ScalarClass: UInt8 {
    case letter, number, whitespace, other

    private static let ascii: [ScalarClass] = (0..<128).map { value in
        classify(Unicode.Scalar(UInt8(value)))
    }

    /// The class of `scalar` (ASCII from a table, the rest from Unicode properties).
    @inline(__always)
    static func of(_ scalar: Unicode.Scalar) -> ScalarClass {
        scalar.value < 128 ? ascii[Int(scalar.value)] : classify(scalar)
    }

    private static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return properties.isWhitespace ? .whitespace : .other
        }
    }
}

/// A string decoded once into scalars with their classes and UTF-8 offsets, so pattern
/// matchers can index freely and cut pieces without re-scanning.
struct ClassifiedScalars {
    let utf8: [UInt8]
    private(set) var scalars: [Unicode.Scalar] = []
    private(set) var classes: [ScalarClass] = []
    /// The UTF-8 offset of each scalar, plus the total length at the end.
    private(set) var offsets: [Int] = []

    init(_ text: String) {
        utf8 = Array(text.utf8)
        scalars.reserveCapacity(utf8.count)
        classes.reserveCapacity(utf8.count)
        offsets.reserveCapacity(utf8.count + 1)
        var offset = 0
        for scalar in text.unicodeScalars {
            scalars.append(scalar)
            classes.append(ScalarClass.of(scalar))
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
    }

    var count: Int { scalars.count }

    /// The piece of text covering scalars `range`.
    func string(_ range: Range<Int>) -> String {
        String(decoding: utf8[offsets[range.lowerBound]..<offsets[range.upperBound]], as: UTF8.self)
    }

    @inline(__always) func isLetter(_ i: Int) -> Bool { classes[i] == .letter }
    @inline(__always) func isNumber(_ i: Int) -> Bool { classes[i] == .number }
    @inline(__always) func isWhitespace(_ i: Int) -> Bool { classes[i] == .whitespace }
    /// `[^\s\p{L}\p{N}]`
    @inline(__always) func isOther(_ i: Int) -> Bool { classes[i] == .other }
    /// `[\r\n]`
    @inline(__always) func isNewline(_ i: Int) -> Bool {
        scalars[i] == "\n" || scalars[i] == "\r"
    }
}
