import Foundation

/// String members. Strings, Substrings and Characters share one representation, so
/// Substring results (split, prefix, dropFirst) are plain strings; string indices are
/// Character offsets (Ints), so `text[r.upperBound...]` works with ranges from `range(of:)`.
extension StandardLibrary {
    static func registerStrings(in registry: NativeRegistry) {
        registry.type("String", doc: "A Unicode string; also used for Substring and Character values.") { type in
            registerStringProperties(type)
            registerStringSearch(type)
            registerStringTransforms(type)
            registerStringSplitting(type)
            registerStringMutations(type)
        }
    }

    private static func registerStringProperties(_ type: NativeType) {
        type.property("count", "Int", doc: "The number of characters (grapheme clusters).") { .int(try string($0).count) }
        type.property("isEmpty", "Bool", doc: "Whether the string has no characters.") { .bool(try string($0).isEmpty) }
        type.property("first", "Character?", doc: "The first character, or nil when empty.") { value in
            .optional(try string(value).first.map { .string(String($0)) })
        }
        type.property("last", "Character?", doc: "The last character, or nil when empty.") { value in
            .optional(try string(value).last.map { .string(String($0)) })
        }
        type.property("description", "String", doc: "The string itself.") { .string(try string($0)) }
        type.property("debugDescription", "String", doc: "The string quoted and escaped, as the REPL shows it.") {
            .string(try string($0).debugDescription)
        }
        type.property("utf8", "[UInt8]", doc: "The UTF-8 bytes as Ints.") { .array(try string($0).utf8.map { .int(Int($0)) }) }
        type.property("unicodeScalars", "[Unicode.Scalar]", doc: "The Unicode scalars, each as a one-scalar string.") { value in
            .array(try string(value).unicodeScalars.map { .string(String($0)) })
        }
        type.property("startIndex", "Int", doc: "The position of the first character (0).") { _ in .int(0) }
        type.property("endIndex", "Int", doc: "The position after the last character (the count).") { .int(try string($0).count) }
        type.property("indices", "Range<Int>", doc: "The valid character positions, 0..<count.") { value in
            .range(RangeValue(lower: .int(0), upper: .int(try string(value).count), isClosed: false))
        }
        type.property("capitalized", "String", doc: "Each word with its first letter uppercased and the rest lowercased.") {
            .string(try string($0).capitalized)
        }
        type.method("lowercased", returns: "String", doc: "The string in lowercase.") { .string(try $0.receiverString().lowercased()) }
        type.method("uppercased", returns: "String", doc: "The string in uppercase.") { .string(try $0.receiverString().uppercased()) }
        type.method("index", [.positional("i", "Int"), .labeled("offsetBy", "Int")], returns: "Int",
                    doc: "The position `offsetBy` characters after `i`.") { call in
            .int(try call.int("i") + call.int("offsetBy"))
        }
        type.method("index", [.labeled("after", "Int")], returns: "Int", doc: "The position after `i`.") { call in
            .int(try call.int("after") + 1)
        }
        type.method("index", [.labeled("before", "Int")], returns: "Int", doc: "The position before `i`.") { call in
            .int(try call.int("before") - 1)
        }
        type.method("distance", [.labeled("from", "Int"), .labeled("to", "Int")], returns: "Int",
                    doc: "The number of characters between two positions.") { call in
            .int(try call.int("to") - call.int("from"))
        }
    }

    private static func registerStringSearch(_ type: NativeType) {
        type.method("contains", [.positional("other", "String")], returns: "Bool",
                    doc: "Whether `other` occurs in the string (or, given a closure, whether a character satisfies it).") { call in
            let text = try call.receiverString()
            if case .function = call["other"] {
                return .bool(try text.contains { try call.test(call["other"], [.string(String($0))]) })
            }
            let other = try call.string("other")
            return .bool(other.isEmpty || text.contains(other))
        }
        type.method("contains", [.labeled("where", "(Character) -> Bool")], returns: "Bool",
                    doc: "Whether some character satisfies the predicate.") { call in
            let predicate = try call.function("where")
            return .bool(try call.receiverString().contains { try call.test(predicate, [.string(String($0))]) })
        }
        type.method("hasPrefix", [.positional("prefix", "String")], returns: "Bool", doc: "Whether the string starts with `prefix`.") { call in
            .bool(try call.receiverString().hasPrefix(call.string("prefix")))
        }
        type.method("hasSuffix", [.positional("suffix", "String")], returns: "Bool", doc: "Whether the string ends with `suffix`.") { call in
            .bool(try call.receiverString().hasSuffix(call.string("suffix")))
        }
        type.method("starts", [.labeled("with", "String")], returns: "Bool", doc: "Whether the string starts with the given characters.") { call in
            .bool(try call.receiverString().hasPrefix(call.string("with")))
        }
        type.method("range", [.labeled("of", "String"), .labeled("options", "String.CompareOptions", default: .array([]))],
                    returns: "Range<Int>?",
                    doc: "The character range of the first occurrence of `of` (options: .caseInsensitive, .regularExpression, .backwards), or nil.") { call in
            let text = try call.receiverString()
            let options = try compareOptions(call["options"], call)
            guard let found = text.range(of: try call.string("of"), options: options) else { return .null }
            return .optional(characterRange(found, in: text))
        }
        type.method("firstIndex", [.labeled("of", "Character")], returns: "Int?",
                    doc: "The position of the first occurrence of the character, or nil.") { call in
            let target = try call.string("of")
            return .optional(Array(try call.receiverString()).firstIndex { String($0) == target }.map { .int($0) })
        }
        type.method("lastIndex", [.labeled("of", "Character")], returns: "Int?",
                    doc: "The position of the last occurrence of the character, or nil.") { call in
            let target = try call.string("of")
            let characters = Array(try call.receiverString())
            return .optional(characters.lastIndex { String($0) == target }.map { .int($0) })
        }
    }

    private static func registerStringTransforms(_ type: NativeType) {
        type.method("trimmingCharacters", [.labeled("in", "CharacterSet")], returns: "String",
                    doc: "The string without leading and trailing characters from the set (.whitespacesAndNewlines, .whitespaces, .newlines, …).") { call in
            .string(try call.receiverString().trimmingCharacters(in: characterSet(call["in"], call)))
        }
        type.method("replacingOccurrences", [.labeled("of", "String"), .labeled("with", "String"),
                                             .labeled("options", "String.CompareOptions", default: .array([]))],
                    returns: "String",
                    doc: "The string with every occurrence of `of` replaced (options: .caseInsensitive, .regularExpression).") { call in
            let text = try call.receiverString()
            let target = try call.string("of")
            guard !target.isEmpty else { return .string(text) }
            let options = try compareOptions(call["options"], call)
            if options.contains(.regularExpression) {
                let regex = try RegexCache.shared.regex(target, call)
                return .string(try RegexSearch.replace(regex, in: text, template: try call.string("with"), call))
            }
            return .string(text.replacingOccurrences(of: target, with: try call.string("with"), options: options))
        }
        type.method("replacing", [.positional("target", "String"), .labeled("with", "String")], returns: "String",
                    doc: "The string with every occurrence of `target` replaced.") { call in
            let target = try call.string("target")
            guard !target.isEmpty else { return .string(try call.receiverString()) }
            return .string(try call.receiverString().replacingOccurrences(of: target, with: call.string("with")))
        }
        type.method("prefix", [.positional("maxLength", "Int")], returns: "Substring",
                    doc: "The first `maxLength` characters (all of them if the string is shorter).") { call in
            .string(String(try call.receiverString().prefix(call.count("maxLength"))))
        }
        type.method("suffix", [.positional("maxLength", "Int")], returns: "Substring",
                    doc: "The last `maxLength` characters.") { call in
            .string(String(try call.receiverString().suffix(call.count("maxLength"))))
        }
        type.method("dropFirst", [.positional("k", "Int", default: .int(1))], returns: "Substring",
                    doc: "The string without its first `k` characters.") { call in
            .string(String(try call.receiverString().dropFirst(call.count("k"))))
        }
        type.method("dropLast", [.positional("k", "Int", default: .int(1))], returns: "Substring",
                    doc: "The string without its last `k` characters.") { call in
            .string(String(try call.receiverString().dropLast(call.count("k"))))
        }
        type.method("reversed", returns: "String", doc: "The characters in reverse order.") { call in
            .string(String(try call.receiverString().reversed()))
        }
        type.method("filter", [.positional("isIncluded", "(Character) -> Bool")], returns: "String",
                    doc: "The characters that satisfy the predicate, as a String.") { call in
            let predicate = try call.function("isIncluded")
            return .string(try call.receiverString().filter { try call.test(predicate, [.string(String($0))]) })
        }
        type.method("padding", [.labeled("toLength", "Int"), .labeled("withPad", "String"), .labeled("startingAt", "Int", default: .int(0))],
                    returns: "String", doc: "The string cut or padded on the right to `toLength` characters.") { call in
            let text = try call.receiverString()
            let length = try call.count("toLength")
            let pad = try call.string("withPad")
            guard !pad.isEmpty else { throw call.error("the pad string must not be empty") }
            let count = text.count
            if count >= length { return .string(String(text.prefix(length))) }
            guard length <= maximumMaterializedCount else {
                throw call.error("toLength \(length) is too long (at most \(maximumMaterializedCount) characters)")
            }
            let padCharacters = Array(pad)
            var next = min(try call.count("startingAt"), padCharacters.count)
            var result = text
            for _ in count..<length {
                if next == padCharacters.count { next = 0 }
                result.append(padCharacters[next])
                next += 1
            }
            return .string(result)
        }
    }

    private static func registerStringSplitting(_ type: NativeType) {
        type.method("split", [.labeled("separator", "Character"), .labeled("maxSplits", "Int", default: .int(Int.max)),
                              .labeled("omittingEmptySubsequences", "Bool", default: .bool(true))],
                    returns: "[Substring]",
                    doc: "The pieces between separators; empty pieces are dropped unless `omittingEmptySubsequences: false`.") { call in
            .strings(try split(try call.receiverString(), separator: try call.string("separator"),
                           maxSplits: try call.count("maxSplits"), omittingEmpty: try call.bool("omittingEmptySubsequences"), call))
        }
        type.method("split", [.labeled("maxSplits", "Int", default: .int(Int.max)),
                              .labeled("omittingEmptySubsequences", "Bool", default: .bool(true)),
                              .labeled("whereSeparator", "(Character) -> Bool")],
                    returns: "[Substring]", doc: "The pieces between characters that satisfy the predicate.") { call in
            let predicate = try call.function("whereSeparator")
            return .strings(try call.receiverString().split(maxSplits: try call.count("maxSplits"),
                                                            omittingEmptySubsequences: try call.bool("omittingEmptySubsequences")) {
                try call.test(predicate, [.string(String($0))])
            }.map(String.init))
        }
        type.method("components", [.labeled("separatedBy", "String")], returns: "[String]",
                    doc: "The pieces between occurrences of the separator string (or any character of a CharacterSet), empty pieces kept.") { call in
            let text = try call.receiverString()
            if case .string(let separator) = call["separatedBy"] {
                return .strings(text.components(separatedBy: separator))
            }
            return .strings(text.components(separatedBy: try characterSet(call["separatedBy"], call)))
        }
        type.property("lines", "[String]", doc: "The lines of the string (split at newlines, empty lines kept).") { value in
            .strings(try string(value).components(separatedBy: .newlines))
        }
    }

    private static func registerStringMutations(_ type: NativeType) {
        type.mutatingMethod("append", [.positional("other", "String")], doc: "Adds text at the end.") { receiver, call in
            let other = try call.string("other")
            return try mutateString(&receiver, call) { $0 += other; return .void }
        }
        type.mutatingMethod("append", [.labeled("contentsOf", "String")], doc: "Adds text at the end.") { receiver, call in
            let other = try call.string("contentsOf")
            return try mutateString(&receiver, call) { $0 += other; return .void }
        }
        type.mutatingMethod("insert", [.positional("character", "Character"), .labeled("at", "Int")],
                            doc: "Inserts a character at a position.") { receiver, call in
            let character = try call.string("character")
            let position = try call.int("at")
            return try mutateString(&receiver, call) { text in
                guard position >= 0 && position <= text.count else { throw call.error("String index \(position) is out of range (count \(text.count))", kind: .indexOutOfRange) }
                text.insert(contentsOf: character, at: text.index(text.startIndex, offsetBy: position))
                return .void
            }
        }
        type.mutatingMethod("removeLast", returns: "Character", doc: "Removes and returns the last character.") { receiver, call in
            try mutateString(&receiver, call) { text in
                guard !text.isEmpty else { throw call.error("can't remove the last character of an empty string", kind: .indexOutOfRange) }
                return .string(String(text.removeLast()))
            }
        }
        type.mutatingMethod("removeFirst", returns: "Character", doc: "Removes and returns the first character.") { receiver, call in
            try mutateString(&receiver, call) { text in
                guard !text.isEmpty else { throw call.error("can't remove the first character of an empty string", kind: .indexOutOfRange) }
                return .string(String(text.removeFirst()))
            }
        }
        type.mutatingMethod("removeAll", doc: "Makes the string empty.") { receiver, call in
            try mutateString(&receiver, call) { $0 = ""; return .void }
        }
    }

    // MARK: Helpers

    static func string(_ value: Value) throws -> String {
        try Convert.string(value, or: RuntimeError("expected a String, got \(value.typeName)", kind: .typeMismatch))
    }

    /// Swift's split on a Character (or, as Swift 5.7 allows, on a separator string).
    static func split(_ text: String, separator: String, maxSplits: Int, omittingEmpty: Bool, _ call: NativeCall) throws -> [String] {
        guard !separator.isEmpty else { throw call.error("the separator must not be empty") }
        if separator.count == 1, let character = separator.first {
            return text.split(separator: character, maxSplits: maxSplits, omittingEmptySubsequences: omittingEmpty).map(String.init)
        }
        var pieces: [String] = []
        var rest = text[...]
        while pieces.count < maxSplits, let found = rest.range(of: separator) {
            let piece = String(rest[..<found.lowerBound])
            if !(omittingEmpty && piece.isEmpty) { pieces.append(piece) }
            rest = rest[found.upperBound...]
        }
        if !(omittingEmpty && rest.isEmpty) { pieces.append(String(rest)) }
        return pieces
    }

    /// A Range of Character offsets for a String.Index range.
    static func characterRange(_ range: Range<String.Index>, in text: String) -> Value {
        let lower = text.distance(from: text.startIndex, to: range.lowerBound)
        let upper = lower + text.distance(from: range.lowerBound, to: range.upperBound)
        return .range(RangeValue(lower: .int(lower), upper: .int(upper), isClosed: false))
    }

    /// `.whitespacesAndNewlines`-style arguments, or a CharacterSet value.
    static func characterSet(_ value: Value, _ call: NativeCall) throws -> CharacterSet {
        if case .object(let object) = value, let set = object as? CharacterSetValue { return set.set }
        guard case .enumCase(let member) = value else {
            throw call.error("expected a CharacterSet such as .whitespacesAndNewlines, got \(value.typeName)", kind: .typeMismatch)
        }
        guard let set = CharacterSetValue.named[member.name] else {
            throw call.error("unknown character set .\(member.name); use one of " +
                             CharacterSetValue.named.keys.sorted().map { "." + $0 }.joined(separator: ", "))
        }
        return set
    }

    /// `[.caseInsensitive, .regularExpression]`, a single option, or `[]`.
    static func compareOptions(_ value: Value, _ call: NativeCall) throws -> String.CompareOptions {
        let members: [Value]
        if case .array(let items) = value { members = items } else { members = [value] }
        var options: String.CompareOptions = []
        for member in members {
            guard case .enumCase(let option) = member else {
                throw call.error("expected options such as .caseInsensitive, got \(member.typeName)", kind: .typeMismatch)
            }
            switch option.name {
            case "caseInsensitive": options.insert(.caseInsensitive)
            case "regularExpression": options.insert(.regularExpression)
            case "backwards": options.insert(.backwards)
            case "literal": options.insert(.literal)
            case "diacriticInsensitive": options.insert(.diacriticInsensitive)
            case "anchored": options.insert(.anchored)
            default: throw call.error("unknown option .\(option.name)")
            }
        }
        return options
    }
}

/// A Foundation CharacterSet as a language value (`CharacterSet(charactersIn: ",;")`).
public final class CharacterSetValue: NativeObject, CustomStringConvertible {
    public let set: CharacterSet
    public init(_ set: CharacterSet) { self.set = set }
    public var typeName: String { "CharacterSet" }
    public var description: String { "CharacterSet" }

    /// The sets written as implicit members (`.whitespaces`).
    static let named: [String: CharacterSet] = [
        "whitespaces": .whitespaces, "newlines": .newlines, "whitespacesAndNewlines": .whitespacesAndNewlines,
        "punctuationCharacters": .punctuationCharacters, "decimalDigits": .decimalDigits, "letters": .letters,
        "alphanumerics": .alphanumerics, "lowercaseLetters": .lowercaseLetters, "uppercaseLetters": .uppercaseLetters,
        "symbols": .symbols, "controlCharacters": .controlCharacters,
    ]
}
