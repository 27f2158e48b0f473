import Foundation

/// Regular-expression helpers on String, on ICU through NSRegularExpression.
///
/// Patterns are ordinary strings (raw strings `#"…"#` avoid double escaping). A match is a
/// `RegexMatch`: `m.0` / `m.output` / `m[0]` is the whole match, `m.1`, `m[1]`, `m.captures[0]`
/// the first capture group ("" when the group did not take part), `m["name"]` a named group,
/// `m.range` the Character offsets of the whole match.
extension StandardLibrary {
    static func registerRegex(in registry: NativeRegistry) {
        registry.type("String") { type in
            type.method("firstMatch", [.labeled("of", "String")], returns: "RegexMatch?",
                        doc: "The first match of the regular expression, or nil: `text.firstMatch(of: #\"<answer>(.*?)</answer>\"#)?.1`.") { call in
                let text = try call.receiverString()
                let regex = try RegexCache.shared.regex(try call.string("of"), call)
                return .optional(try RegexMatch.all(regex, in: text, limit: 1, call).first.map { .object($0) })
            }
            type.method("wholeMatch", [.labeled("of", "String")], returns: "RegexMatch?",
                        doc: "The match of the regular expression against the whole string, or nil.") { call in
                let text = try call.receiverString()
                let regex = try RegexCache.shared.regex("(?:" + (try call.string("of")) + ")\\z", call, anchored: true)
                return .optional(try RegexMatch.all(regex, in: text, limit: 1, anchored: true, call).first.map { .object($0) })
            }
            type.method("matches", [.positional("pattern", "String")], returns: "Bool",
                        doc: "Whether the regular expression matches somewhere in the string (anchor with ^…$ for the whole string).") { call in
                let text = try call.receiverString()
                let regex = try RegexCache.shared.regex(try call.string("pattern"), call)
                var found = false
                try RegexSearch.enumerate(regex, in: text, call) { _ in found = true; return false }
                return .bool(found)
            }
            type.method("matches", [.labeled("of", "String")], returns: "[RegexMatch]",
                        doc: "Every non-overlapping match of the regular expression.") { call in
                try allMatches(call, "of")
            }
            type.method("allMatches", [.labeled("of", "String")], returns: "[RegexMatch]",
                        doc: "Every non-overlapping match of the regular expression.") { call in
                try allMatches(call, "of")
            }
            type.method("replacing", [.labeled("regex", "String"), .labeled("with", "String")], returns: "String",
                        doc: "The string with every match replaced by the template ($1, $2 insert capture groups).") { call in
                let text = try call.receiverString()
                let regex = try RegexCache.shared.regex(try call.string("regex"), call)
                return .string(try RegexSearch.replace(regex, in: text, template: try call.string("with"), call))
            }
            type.method("ranges", [.labeled("of", "String")], returns: "[Range<Int>]",
                        doc: "The Character ranges of every occurrence of the (literal) string.") { call in
                let text = try call.receiverString()
                let target = try call.string("of")
                guard !target.isEmpty else { return .array([]) }
                var ranges: [Value] = []
                var rest = text.startIndex..<text.endIndex
                while let found = text.range(of: target, range: rest) {
                    ranges.append(characterRange(found, in: text))
                    rest = found.upperBound..<text.endIndex
                }
                return .array(ranges)
            }
        }

        registry.type("RegexMatch", doc: "A regular-expression match: m.0 the whole match, m.1… the capture groups.") { type in
            type.property("output", "String", doc: "The whole matched text.") { .string(try match($0).groups[0] ?? "") }
            type.property("captures", "[String]", doc: "The capture groups' texts (\"\" for a group that did not take part).") { value in
                .strings(try match(value).groups.dropFirst().map { $0 ?? "" })
            }
            type.property("range", "Range<Int>", doc: "The Character offsets of the whole match.") { value in
                let m = try match(value)
                return .range(RangeValue(lower: .int(m.range.lowerBound), upper: .int(m.range.upperBound), isClosed: false))
            }
            type.property("count", "Int", doc: "The number of groups including the whole match.") { .int(try match($0).groups.count) }
            for i in 0...9 {
                type.property(String(i), "String", doc: i == 0 ? "The whole matched text." : "Capture group \(i).") { value in
                    .string(try match(value).group(i))
                }
            }
            type.method("subscript", [.positional("group")], returns: "String",
                        doc: "m[i]: group i (0 is the whole match); m[\"name\"]: a named group.") { call in
                let m = try call.receiver(as: RegexMatch.self)
                if case .string(let name) = call["group"] {
                    guard let text = m.named(name) else { throw call.error("the pattern has no group named '\(name)'") }
                    return .string(text)
                }
                return .string(try m.group(call.int("group")))
            }
        }
    }

    private static func allMatches(_ call: NativeCall, _ label: String) throws -> Value {
        let text = try call.receiverString()
        let regex = try RegexCache.shared.regex(try call.string(label), call)
        return .array(try RegexMatch.all(regex, in: text, call).map { .object($0) })
    }

    private static func match(_ value: Value) throws -> RegexMatch {
        guard case .object(let object) = value, let m = object as? RegexMatch else {
            throw RuntimeError("expected a RegexMatch, got \(value.typeName)", kind: .typeMismatch)
        }
        return m
    }
}

/// One match: the texts of its groups and the Character range of the whole match.
public final class RegexMatch: NativeObject, CustomStringConvertible {
    /// Group 0 is the whole match; nil for a group that did not take part.
    public let groups: [String?]
    public let range: Range<Int>
    private let names: [String: String]

    init(groups: [String?], range: Range<Int>, names: [String: String]) {
        self.groups = groups
        self.range = range
        self.names = names
    }

    public var typeName: String { "RegexMatch" }

    public var description: String {
        let captures = groups.dropFirst().map { ($0 ?? "").debugDescription }.joined(separator: ", ")
        return "RegexMatch(\((groups[0] ?? "").debugDescription), captures: [\(captures)])"
    }

    func group(_ i: Int) throws -> String {
        guard i >= 0 && i < groups.count else {
            throw RuntimeError("the match has no group \(i) (it has \(groups.count - 1) capture group\(groups.count == 2 ? "" : "s"))",
                               kind: .indexOutOfRange)
        }
        return groups[i] ?? ""
    }

    func named(_ name: String) -> String? { names[name] }

    /// The matches of `regex` in `text`, with Character offsets computed in one pass.
    static func all(_ regex: NSRegularExpression, in text: String, limit: Int = .max, anchored: Bool = false,
                    _ call: NativeCall) throws -> [RegexMatch] {
        var results: [RegexMatch] = []
        var cursor = text.startIndex
        var cursorOffset = 0
        let groupNames = RegexCache.groupNames(regex.pattern)
        try RegexSearch.enumerate(regex, in: text, anchored: anchored, call) { result in
            guard let range = Range(result.range, in: text) else { return true }
            let groups: [String?] = (0..<result.numberOfRanges).map { i in
                Range(result.range(at: i), in: text).map { String(text[$0]) }
            }
            var names: [String: String] = [:]
            for name in groupNames {
                if let r = Range(result.range(withName: name), in: text) { names[name] = String(text[r]) }
            }
            let lower = cursorOffset + text.distance(from: cursor, to: range.lowerBound)
            let upper = lower + text.distance(from: range.lowerBound, to: range.upperBound)
            cursor = range.upperBound
            cursorOffset = upper
            results.append(RegexMatch(groups: groups, range: lower..<upper, names: names))
            return results.count < limit
        }
        return results
    }
}

/// Compiled patterns, shared by all sessions (compiling is the slow part of a regex call).
final class RegexCache {
    static let shared = RegexCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]
    private static let capacity = 512

    func regex(_ pattern: String, _ call: NativeCall, anchored: Bool = false) throws -> NSRegularExpression {
        if let regex = lock.withLock({ compiled[pattern] }) { return regex }
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: pattern)
        } catch {
            let shown = anchored ? String(pattern.dropFirst(3).dropLast(4)) : pattern
            throw call.error("invalid regular expression \(shown.debugDescription): check its brackets, parentheses and escapes")
        }
        lock.withLock {
            if compiled.count >= RegexCache.capacity { compiled.removeAll() }
            compiled[pattern] = regex
        }
        return regex
    }

    /// The names of `(?<name>…)` groups in a pattern.
    static func groupNames(_ pattern: String) -> [String] {
        guard pattern.contains("(?<") else { return [] }
        var names: [String] = []
        var rest = pattern[...]
        while let start = rest.range(of: "(?<") {
            rest = rest[start.upperBound...]
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty, rest.dropFirst(name.count).first == ">" { names.append(String(name)) }
        }
        return names
    }
}

/// Searching and replacing that stays interruptible: ICU reports progress during long
/// (backtracking) matches, and the search stops when the cell is interrupted.
enum RegexSearch {
    /// Calls `body` for each match until it returns false.
    static func enumerate(_ regex: NSRegularExpression, in text: String, anchored: Bool = false, _ call: NativeCall,
                          _ body: (NSTextCheckingResult) -> Bool) throws {
        let interrupt = call.context.interrupt
        var options: NSRegularExpression.MatchingOptions = [.reportProgress]
        if anchored { options.insert(.anchored) }
        withoutActuallyEscaping(body) { body in
            regex.enumerateMatches(in: text, options: options, range: NSRange(text.startIndex..., in: text)) { result, _, stop in
                if interrupt.isRequested { stop.pointee = true; return }
                if let result, !body(result) { stop.pointee = true }
            }
        }
        try call.context.checkInterrupt()
    }

    /// Every match replaced by the template ($0, $1… insert groups; \$ is a dollar sign).
    static func replace(_ regex: NSRegularExpression, in text: String, template: String, _ call: NativeCall) throws -> String {
        let source = text as NSString
        var result = ""
        var last = 0
        try enumerate(regex, in: text, call) { match in
            result += source.substring(with: NSRange(location: last, length: match.range.location - last))
            result += regex.replacementString(for: match, in: text, offset: 0, template: template)
            last = match.range.location + match.range.length
            return true
        }
        result += source.substring(from: last)
        return result
    }
}
