import Foundation
import TextFormats

/// Jinja's filters (`value | name(arguments)`) and tests (`value is name`), with transformers'
/// `tojson` (plain `json.dumps`, no HTML escaping, `indent`/`separators`/`sort_keys` options).
extension TemplateBuiltins {
    static func applyFilter(_ name: String, to value: TemplateValue, arguments: [TemplateValue],
                            keywords: [(String, TemplateValue)], renderer: TemplateRenderer) throws -> TemplateValue {
        let value = value.plain
        func argument(_ index: Int, _ keyword: String) -> TemplateValue? {
            if let match = keywords.first(where: { $0.0 == keyword }) { return match.1 }
            return index >= 0 && index < arguments.count ? arguments[index] : nil
        }
        func items() throws -> [TemplateValue] { try renderer.iterate(value) }
        func indentWidth(_ n: Int, _ renderer: TemplateRenderer) throws -> Int {
            guard (0...TemplateLimits.maximumIndent).contains(n) else {
                throw renderer.fail("indent \(n) is out of range (0...\(TemplateLimits.maximumIndent))")
            }
            return n
        }
        // Jinja's select/reject/map family treat a falsy input (None, undefined) as empty.
        if ["select", "reject", "selectattr", "rejectattr", "map"].contains(name), !value.isTruthy {
            return .array([])
        }

        switch name {
        case "trim":
            let chars = argument(0, "chars").flatMap { $0 == .none ? nil : $0.text }
            return .string(PythonText.strip(value.text, chars: chars, leading: true, trailing: true))
        case "upper": return .string(value.text.uppercased())
        case "lower": return .string(value.text.lowercased())
        case "capitalize": return .string(PythonText.capitalize(value.text))
        case "title": return .string(jinjaTitle(value.text))
        case "string": return .string(value.text)
        case "safe", "e", "escape", "forceescape":
            if name == "safe" { return value }
            return .string(HTMLText.escape(value.text))
        case "length", "count":
            switch value {
            case let .string(s): return .int(s.unicodeScalars.count)
            case let .array(a), let .tuple(a): return .int(a.count)
            case let .dictionary(d): return .int(d.count)
            case .undefined: return .int(0)
            default: throw renderer.fail("object of type '\(value.typeName)' has no len()")
            }
        case "default", "d":
            let fallback = argument(0, "default_value") ?? .string("")
            let boolean = argument(1, "boolean")?.isTruthy ?? false
            return value.isUndefined || (boolean && !value.isTruthy) ? fallback : value
        case "tojson":
            var indent: String?
            switch argument(0, "indent") {
            case let .int(n)?: indent = String(repeating: " ", count: try indentWidth(n, renderer))
            case let .string(s)?: indent = s
            default: break
            }
            var separators: (String, String)?
            if let pair = argument(-1, "separators")?.elements, pair.count == 2 { separators = (pair[0].text, pair[1].text) }
            let sortKeys = argument(-1, "sort_keys")?.isTruthy ?? false
            do {
                return .string(try value.jsonText(indent: indent, separators: separators, sortKeys: sortKeys))
            } catch let TemplateError.runtime(message, _) {
                throw renderer.fail(message)
            }
        case "join":
            let separator = argument(0, "d")?.text ?? ""
            var list = try items()
            if let attribute = argument(1, "attribute") { list = try list.map { try lookupPath(attribute, in: $0, renderer) } }
            return .string(list.map(\.text).joined(separator: separator))
        case "list": return .array(try items())
        case "first":
            let list = try items()
            return list.first ?? .undefined("first")
        case "last":
            let list = try items()
            return list.last ?? .undefined("last")
        case "reverse":
            if case let .string(s) = value { return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed()))) }
            return .array(try items().reversed())
        case "items":
            guard case let .dictionary(d) = value else {
                if value.isUndefined { return .array([]) }
                throw renderer.fail("items filter needs a mapping, not \(value.typeName)")
            }
            return .array(d.pairs.map { .tuple([d.keyValue($0.key), $0.value]) })
        case "dictsort":
            guard case let .dictionary(d) = value else { throw renderer.fail("dictsort needs a mapping") }
            let caseSensitive = argument(0, "case_sensitive")?.isTruthy ?? false
            let byValue = argument(1, "by")?.text == "value"
            let reverse = argument(2, "reverse")?.isTruthy ?? false
            let pairs = try d.pairs.sorted { a, b in
                var x: TemplateValue = byValue ? a.value : d.keyValue(a.key)
                var y: TemplateValue = byValue ? b.value : d.keyValue(b.key)
                if !caseSensitive, case let .string(p) = x, case let .string(q) = y { x = .string(p.lowercased()); y = .string(q.lowercased()) }
                let order = try renderer.compare(x, y)
                return reverse ? order > 0 : order < 0
            }
            return .array(pairs.map { .tuple([d.keyValue($0.key), $0.value]) })
        case "sort":
            let reverse = argument(0, "reverse")?.isTruthy ?? false
            let caseSensitive = argument(1, "case_sensitive")?.isTruthy ?? false
            let attribute = argument(2, "attribute")
            func key(_ v: TemplateValue) throws -> TemplateValue {
                let k = try attribute.map { try lookupPath($0, in: v, renderer) } ?? v
                if !caseSensitive, case let .string(s) = k { return .string(s.lowercased()) }
                return k
            }
            let list = try items()
            let keys = try list.map(key)
            let order = try Array(list.indices).sorted { i, j in
                let c = try renderer.compare(keys[i], keys[j])
                return reverse ? c > 0 : (c < 0 || (c == 0 && i < j))
            }
            return .array(order.map { list[$0] })
        case "unique":
            var seen = [TemplateValue]()
            for item in try items() where !seen.contains(item) { seen.append(item) }
            return .array(seen)
        case "map":
            let list = try items()
            if let attribute = argument(-1, "attribute") {
                let fallback = keywords.first(where: { $0.0 == "default" })?.1
                return .array(try list.map { item in
                    let v = try lookupPath(attribute, in: item, renderer)
                    return v.isUndefined ? (fallback ?? v) : v
                })
            }
            guard let filterName = arguments.first?.text else { throw renderer.fail("map needs a filter name or attribute=") }
            let rest = Array(arguments.dropFirst())
            return .array(try list.map { try applyFilter(filterName, to: $0, arguments: rest, keywords: keywords, renderer: renderer) })
        case "select", "reject":
            let keep = name == "select"
            return .array(try items().filter { item in
                guard let test = arguments.first?.text else { return item.isTruthy == keep }
                return try applyTest(test, to: item, arguments: Array(arguments.dropFirst()), renderer: renderer) == keep
            })
        case "selectattr", "rejectattr":
            let keep = name == "selectattr"
            guard let attribute = arguments.first else { throw renderer.fail("\(name) needs an attribute name") }
            return .array(try items().filter { item in
                let v = try lookupPath(attribute, in: item, renderer)
                guard arguments.count > 1 else { return v.isTruthy == keep }
                return try applyTest(arguments[1].text, to: v, arguments: Array(arguments.dropFirst(2)), renderer: renderer) == keep
            })
        case "replace":
            guard arguments.count >= 2 else { throw renderer.fail("replace needs 2 arguments") }
            var count = -1
            if case let .int(n)? = argument(2, "count") { count = n }
            return .string(PythonText.replace(value.text, arguments[0].text, arguments[1].text, count: count))
        case "int":
            switch value {
            case let .int(n): return .int(n)
            case let .bool(b): return .int(b ? 1 : 0)
            case let .double(d): return .int(try renderer.exactInteger(d.rounded(.towardZero), "int"))
            default:
                let text = PythonText.strip(value.text, chars: nil, leading: true, trailing: true)
                if let n = Int(text) { return .int(n) }
                if let d = Double(text) { return .int(try renderer.exactInteger(d.rounded(.towardZero), "int")) }
                return .int(argument(0, "default").flatMap { if case let .int(n) = $0 { return n }; return nil } ?? 0)
            }
        case "float":
            if let n = value.number { return .double(n) }
            return .double(Double(PythonText.strip(value.text, chars: nil, leading: true, trailing: true)) ?? 0)
        case "abs":
            switch value {
            case let .int(n): return .int(abs(n))
            case let .double(d): return .double(abs(d))
            default: throw renderer.fail("bad operand type for abs(): '\(value.typeName)'")
            }
        case "round":
            guard let n = value.number else { throw renderer.fail("round needs a number") }
            var precision = 0
            if case let .int(p)? = argument(0, "precision") { precision = p }
            let method = argument(1, "method")?.text ?? "common"
            let scale = pow(10.0, Double(precision))
            let scaled = n * scale
            let rounded = method == "ceil" ? scaled.rounded(.up) : method == "floor" ? scaled.rounded(.down)
                : scaled.rounded(.toNearestOrAwayFromZero)
            return .double(rounded / scale)
        case "sum":
            var total: TemplateValue = argument(1, "start") ?? .int(0)
            for item in try items() {
                let v = try argument(0, "attribute").map { try lookupPath($0, in: item, renderer) } ?? item
                total = try renderer.binary("+", total, v)
            }
            return total
        case "min", "max":
            let list = try items()
            guard var best = list.first else { return .undefined(name) }
            for item in list.dropFirst() {
                let c = try renderer.compare(item, best)
                if name == "min" ? c < 0 : c > 0 { best = item }
            }
            return best
        case "indent":
            var width = "    "
            switch argument(0, "width") {
            case let .int(n)?: width = String(repeating: " ", count: try indentWidth(n, renderer))
            case let .string(s)?: width = s
            default: break
            }
            let first = argument(1, "first")?.isTruthy ?? false
            let blank = argument(2, "blank")?.isTruthy ?? false
            let lines = value.text.components(separatedBy: "\n")
            let indented = lines.enumerated().map { i, line -> String in
                if i == 0 { return first ? width + line : line }
                return line.isEmpty && !blank ? line : width + line
            }
            return .string(indented.joined(separator: "\n"))
        case "wordcount":
            return .int(PythonText.split(value.text, separator: nil, maxSplit: -1).count)
        case "format":
            return .string(try renderer.binary("%", value, .tuple(arguments)).text)
        default:
            throw renderer.fail("no filter named '\(name)'")
        }
    }

    /// `attribute="a.b"` lookups used by map/selectattr/sort/join.
    private static func lookupPath(_ path: TemplateValue, in item: TemplateValue, _ renderer: TemplateRenderer) throws -> TemplateValue {
        if case let .int(i) = path { return try self.item(.int(i), of: item, renderer: renderer) }
        var value = item
        for part in path.text.split(separator: ".") {
            if let i = Int(part) { value = try self.item(.int(i), of: value, renderer: renderer) }
            else { value = try self.item(.string(String(part)), of: value, renderer: renderer) }
        }
        return value
    }

    /// Jinja's `title` filter: capitalize each word split at whitespace, '-', and opening brackets.
    private static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atWordStart = true
        for c in s.unicodeScalars {
            if c.properties.isWhitespace || "-([{<".unicodeScalars.contains(c) {
                out.unicodeScalars.append(c)
                atWordStart = true
            } else {
                out += atWordStart ? String(c).uppercased() : String(c).lowercased()
                atWordStart = false
            }
        }
        return out
    }

    // MARK: - Tests

    static func applyTest(_ name: String, to value: TemplateValue, arguments: [TemplateValue],
                          renderer: TemplateRenderer) throws -> Bool {
        let other = arguments.first ?? .undefined("argument")
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": return value == .none && !value.isUndefined
        case "string": if case .string = value { return true }; return false
        case "mapping": if case .dictionary = value { return true }; return false
        case "number":
            switch value { case .int, .double, .bool: return true; default: return false }
        case "integer": if case .int = value { return true }; return false
        case "float": if case .double = value { return true }; return false
        case "boolean": if case .bool = value { return true }; return false
        case "true": if case .bool(true) = value { return true }; return false
        case "false": if case .bool(false) = value { return true }; return false
        case "iterable", "sequence":
            switch value { case .string, .array, .tuple, .dictionary: return true; default: return false }
        case "callable": if case .function = value { return true }; return false
        case "eq", "equalto", "==": return value == other
        case "ne", "!=": return value != other
        case "lt", "lessthan", "<": return try renderer.compare(value, other) < 0
        case "le", "<=": return try renderer.compare(value, other) <= 0
        case "gt", "greaterthan", ">": return try renderer.compare(value, other) > 0
        case "ge", ">=": return try renderer.compare(value, other) >= 0
        case "in": return try renderer.contains(other, value)
        case "sameas":
            switch (value, other) {
            case (.none, .none): return true
            case let (.bool(a), .bool(b)): return a == b
            case let (.namespace(a), .namespace(b)): return a === b
            default: return false
            }
        case "even", "odd", "divisibleby":
            guard case let .int(n) = value else { throw renderer.fail("'\(name)' test needs an integer") }
            if name == "even" { return n % 2 == 0 }
            if name == "odd" { return n % 2 != 0 }
            guard case let .int(d) = other, d != 0 else { throw renderer.fail("divisibleby needs a nonzero integer") }
            return n % d == 0
        case "lower": return value.text.lowercased() == value.text
        case "upper": return value.text.uppercased() == value.text
        case "escaped": return false
        default:
            throw renderer.fail("no test named '\(name)'")
        }
    }
}
