import Foundation

/// Attribute and item access, global functions, and the Python string/dict methods templates call.
enum TemplateBuiltins {
    /// Functions every template sees (HF adds raise_exception and strftime_now).
    static let globals: [String: TemplateFunction] = [
        "range": TemplateFunction(name: "range") { arguments, _ in
            let ints = arguments.compactMap { v -> Int? in if case let .int(n) = v { return n }; return nil }
            guard ints.count == arguments.count, (1...3).contains(ints.count) else {
                throw TemplateError.runtime(message: "range() takes 1 to 3 integer arguments", line: 0)
            }
            let (start, stop, step) = ints.count == 1 ? (0, ints[0], 1) : (ints[0], ints[1], ints.count == 3 ? ints[2] : 1)
            guard step != 0 else { throw TemplateError.runtime(message: "range() step must not be zero", line: 0) }
            // The length in Double: stop − start can overflow an Int.
            let length = max(0, ((Double(stop) - Double(start)) / Double(step)).rounded(.up))
            guard length <= Double(TemplateLimits.maximumListLength) else {
                throw TemplateError.runtime(message: "range() would have \(length) elements; the limit is \(TemplateLimits.maximumListLength)", line: 0)
            }
            return .array(stride(from: start, to: stop, by: step).map(TemplateValue.int))
        },
        "namespace": TemplateFunction(name: "namespace") { arguments, keywords in
            var values = TemplateDictionary()
            for argument in arguments {
                if case let .dictionary(d) = argument { for (k, v) in d.pairs { values[k] = v } }
            }
            for (k, v) in keywords { values[k] = v }
            return .namespace(TemplateNamespace(values))
        },
        "dict": TemplateFunction(name: "dict") { arguments, keywords in
            var values = TemplateDictionary()
            if case let .dictionary(d)? = arguments.first { values = d }
            for (k, v) in keywords { values[k] = v }
            return .dictionary(values)
        },
        "raise_exception": TemplateFunction(name: "raise_exception") { arguments, _ in
            throw TemplateError.raised(message: arguments.first?.text ?? "")
        },
        "strftime_now": TemplateFunction(name: "strftime_now") { arguments, _ in
            .string(strftime(arguments.first?.text ?? "%Y-%m-%d", Date()))
        },
    ]

    /// C `strftime` in local time, as Python's `datetime.now().strftime(format)`.
    static func strftime(_ format: String, _ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [Int8](repeating: 0, count: 256)
        let count = Foundation.strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: - Access

    static let dictionaryMethods: Set<String> = ["get", "items", "keys", "values"]

    /// `object.name`: methods of strings and dicts, then dict keys / namespace attributes.
    static func attribute(_ name: String, of object: TemplateValue, renderer: TemplateRenderer) throws -> TemplateValue {
        switch object {
        case let .dictionary(d):
            if dictionaryMethods.contains(name) { return .function(dictionaryMethod(name, d, renderer)) }
            return d[name] ?? .undefined(name)
        case let .namespace(ns):
            return ns.values[name] ?? .undefined(name)
        case .undefined:
            throw renderer.fail("'\(object.undefinedName)' is undefined")
        case let .string(s):
            if let method = stringMethod(name, s, renderer) { return .function(method) }
            return .undefined(name)
        case let .array(items), let .tuple(items):
            switch name {
            case "count": return .function(TemplateFunction(name: "count") { a, _ in .int(items.filter { $0 == a.first }.count) })
            case "index":
                return .function(TemplateFunction(name: "index") { a, _ in
                    guard let i = items.firstIndex(where: { $0 == a.first }) else {
                        throw renderer.fail("value is not in list")
                    }
                    return .int(i)
                })
            default: return .undefined(name)
            }
        default:
            return .undefined(name)
        }
    }

    /// `object[index]`.
    static func item(_ index: TemplateValue, of object: TemplateValue, renderer: TemplateRenderer) throws -> TemplateValue {
        switch (object, index) {
        case let (.array(items), .int(i)), let (.tuple(items), .int(i)):
            let j = i < 0 ? i + items.count : i
            return items.indices.contains(j) ? items[j] : .undefined("[\(i)]")
        case let (.string(s), .int(i)):
            let scalars = Array(s.unicodeScalars)
            let j = i < 0 ? i + scalars.count : i
            return scalars.indices.contains(j) ? .string(String(scalars[j])) : .undefined("[\(i)]")
        case let (.dictionary(d), .string(key)):
            return d[key] ?? .undefined(key)
        case let (.dictionary(d), _):
            return d[index.text] ?? .undefined(index.text)
        case let (.namespace(ns), .string(key)):
            return ns.values[key] ?? .undefined(key)
        case (.undefined, _):
            throw renderer.fail("'\(object.undefinedName)' is undefined")
        case (.none, _):
            return .undefined(index.text)
        default:
            if case let .string(name) = index { return try attribute(name, of: object, renderer: renderer) }
            throw renderer.fail("'\(object.typeName)' object is not subscriptable by \(index.typeName)")
        }
    }

    private static func dictionaryMethod(_ name: String, _ d: TemplateDictionary, _ renderer: TemplateRenderer) -> TemplateFunction {
        TemplateFunction(name: name) { arguments, _ in
            switch name {
            case "get":
                guard let key = arguments.first else { throw renderer.fail("get() needs a key") }
                return d[key.text] ?? (arguments.count > 1 ? arguments[1] : .none)
            case "items": return .array(d.pairs.map { .tuple([d.keyValue($0.key), $0.value]) })
            case "keys": return .array(d.keys.map(d.keyValue))
            default: return .array(d.values)
            }
        }
    }

    // MARK: - String methods

    private static func stringMethod(_ name: String, _ s: String, _ renderer: TemplateRenderer) -> TemplateFunction? {
        func method(_ body: @escaping ([TemplateValue]) throws -> TemplateValue) -> TemplateFunction {
            TemplateFunction(name: name) { arguments, _ in try body(arguments) }
        }
        func strings(_ v: TemplateValue?) -> [String]? {
            switch v {
            case let .string(x)?: return [x]
            case let .array(items)?, let .tuple(items)?: return items.map(\.text)
            default: return nil
            }
        }
        switch name {
        case "strip", "lstrip", "rstrip":
            return method { a in
                let chars = a.first.flatMap { $0 == .none ? nil : $0.text }
                return .string(PythonText.strip(s, chars: chars, leading: name != "rstrip", trailing: name != "lstrip"))
            }
        case "split", "rsplit":
            return method { a in
                let separator = a.first.flatMap { $0 == .none ? nil : $0.text }
                var maxSplit = -1
                if a.count > 1, case let .int(n) = a[1] { maxSplit = n }
                if separator == "" { throw renderer.fail("empty separator") }
                let parts = name == "split" ? PythonText.split(s, separator: separator, maxSplit: maxSplit)
                    : PythonText.rsplit(s, separator: separator, maxSplit: maxSplit)
                return .array(parts.map(TemplateValue.string))
            }
        case "splitlines":
            return method { _ in .array(s.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
                    .map { .string(String($0)) }.dropLast(s.last?.isNewline == true ? 1 : 0).map { $0 }) }
        case "startswith", "endswith":
            return method { a in
                guard let options = strings(a.first) else { throw renderer.fail("\(name)() needs a string or tuple") }
                return .bool(options.contains { name == "startswith" ? s.unicodeScalars.starts(with: $0.unicodeScalars)
                    : s.unicodeScalars.reversed().starts(with: $0.unicodeScalars.reversed()) })
            }
        case "replace":
            return method { a in
                guard a.count >= 2 else { throw renderer.fail("replace() needs 2 arguments") }
                var count = -1
                if a.count > 2, case let .int(n) = a[2] { count = n }
                return .string(PythonText.replace(s, a[0].text, a[1].text, count: count))
            }
        case "upper": return method { _ in .string(s.uppercased()) }
        case "lower": return method { _ in .string(s.lowercased()) }
        case "title": return method { _ in .string(PythonText.title(s)) }
        case "capitalize": return method { _ in .string(PythonText.capitalize(s)) }
        case "find", "rfind", "index", "rindex":
            return method { a in
                let needle = a.first?.text ?? ""
                let hay = Array(s.unicodeScalars), sub = Array(needle.unicodeScalars)
                var found = -1
                if sub.count <= hay.count {
                    let positions = Array(0...(hay.count - sub.count))
                    for i in (name.hasPrefix("r") ? positions.reversed() : positions) where Array(hay[i..<i + sub.count]) == sub {
                        found = i
                        break
                    }
                }
                if found < 0, name.hasSuffix("index") { throw renderer.fail("substring not found") }
                return .int(found)
            }
        case "count":
            return method { a in
                let needle = a.first?.text ?? ""
                return .int(needle.isEmpty ? s.unicodeScalars.count + 1 : s.components(separatedBy: needle).count - 1)
            }
        case "join":
            return method { a in .string(try renderer.iterate(a.first ?? .array([])).map(\.text).joined(separator: s)) }
        case "isdigit": return method { _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType != nil }) }
        case "isalpha": return method { _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(\.properties.isAlphabetic)) }
        case "isspace": return method { _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(\.properties.isWhitespace)) }
        case "islower": return method { _ in .bool(s.lowercased() == s && s.uppercased() != s) }
        case "isupper": return method { _ in .bool(s.uppercased() == s && s.lowercased() != s) }
        case "format":
            return TemplateFunction(name: name) { arguments, keywords in
                .string(try PythonText.format(s, arguments: arguments, keywords: keywords, renderer: renderer))
            }
        default: return nil
        }
    }
}
