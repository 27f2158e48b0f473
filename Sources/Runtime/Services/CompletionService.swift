/// Completion candidates: names in scope, members after `.`, argument labels inside a call.
struct CompletionService {
    let interpreter: Interpreter
    /// False while a cell runs: the session's own names are not read then.
    var includeSession = true

    func complete(_ code: String, cursor: Int) -> Completion {
        let scalars = Array(code.unicodeScalars)
        let end = min(max(cursor, 0), scalars.count)
        var start = end
        while start > 0, scalars[start - 1].isIdentifierPart || scalars[start - 1] == "$" { start -= 1 }
        let prefix = String(String.UnicodeScalarView(scalars[start..<end]))
        var candidates: [(String, String)]
        var signatures: [String: String] = [:]
        if start > 0, scalars[start - 1] == "." {
            candidates = includeSession ? memberCandidates(receiver: receiverName(scalars, before: start - 1)) : []
        } else {
            let labels = includeSession ? argumentLabelCandidates(scalars, before: start) : []
            for label in labels where !label.signature.isEmpty { signatures[label.name] = label.signature }
            candidates = labels.map { ($0.name, "label") } + nameCandidates(scalars, before: start)
        }
        var seen: Set<String> = []
        var matches: [String] = []
        var types: [String] = []
        for (name, kind) in candidates.sorted(by: { $0.0 < $1.0 }) where name.hasPrefix(prefix) && !seen.contains(name) {
            if name.hasPrefix("$") || name.isEmpty { continue }
            seen.insert(name)
            matches.append(name)
            types.append(kind)
        }
        // Labels first: they are what the user most likely wants inside a call.
        let order = matches.indices.sorted { (types[$0] == "label" ? 0 : 1, $0) < (types[$1] == "label" ? 0 : 1, $1) }
        return Completion(matches: order.map { matches[$0] }, cursorStart: start, cursorEnd: end,
                          types: order.map { types[$0] == "label" ? "property" : types[$0] },
                          signatures: order.map { types[$0] == "label" ? signatures[matches[$0]] ?? "" : "" })
    }

    /// The simple name before a `.` (nil for anything more complex).
    private func receiverName(_ scalars: [Unicode.Scalar], before dot: Int) -> String? {
        var start = dot
        while start > 0, scalars[start - 1].isIdentifierPart { start -= 1 }
        guard start < dot else { return nil }
        return String(String.UnicodeScalarView(scalars[start..<dot]))
    }

    private func memberCandidates(receiver: String?) -> [(String, String)] {
        guard let receiver else { return [] }
        let registry = interpreter.registry
        if let value = interpreter.globals.value(of: receiver) {
            return Members.names(of: value, interpreter: interpreter)
        }
        if let type = registry.types[receiver] {
            return type.staticProperties.keys.map { ($0, "property") } + type.staticMethods.keys.map { ($0, "method") }
        }
        return []
    }

    /// `label:` candidates when the cursor is inside a call's parentheses, with the parameter's
    /// signature (type and default) for native functions.
    private func argumentLabelCandidates(_ scalars: [Unicode.Scalar], before position: Int) -> [(name: String, signature: String)] {
        var depth = 0
        var i = position - 1
        while i >= 0 {
            let c = scalars[i]
            if c == ")" || c == "]" { depth += 1 }
            if c == "(" || c == "[" {
                if depth == 0 { break }
                depth -= 1
            }
            if c == "\n" && depth == 0 && i < position - 1 && scalars[i + 1] != " " { return [] }
            i -= 1
        }
        guard i > 0, scalars[i] == "(" else { return [] }
        var nameStart = i
        while nameStart > 0, scalars[nameStart - 1].isIdentifierPart { nameStart -= 1 }
        let name = String(String.UnicodeScalarView(scalars[nameStart..<i]))
        guard !name.isEmpty else { return [] }
        var labels: [String] = []
        var nativeParameters: [NativeParameter] = []
        if let value = interpreter.globals.value(of: name) {
            switch value {
            case .function(let f):
                if case .user(let decl, _) = f.kind { labels = decl.parameters.compactMap(\.label) }
            case .type(.structure(let t)):
                labels = t.initializers.isEmpty ? t.storedPropertyNames : t.initializers.flatMap { $0.parameters.compactMap(\.label) }
            default: break
            }
        } else if let overloads = interpreter.registry.functions[name] {
            nativeParameters = overloads.flatMap(\.parameters)
        } else if let type = interpreter.registry.types[name] {
            nativeParameters = type.initializers.flatMap(\.parameters)
        }
        var signatures: [String: String] = [:]
        for parameter in nativeParameters {
            guard let label = parameter.label else { continue }
            labels.append(label)
            if signatures[label] == nil { signatures[label] = parameter.signature }
        }
        return labels.map { (name: "\($0):", signature: signatures[$0] ?? "") }
    }

    private func nameCandidates(_ scalars: [Unicode.Scalar], before position: Int) -> [(String, String)] {
        var names: [(String, String)] = includeSession ? interpreter.globals.definedNames.map { ($0.name, $0.kind) } : []
        let registry = interpreter.registry
        names += registry.functions.keys.map { ($0, "function") }
        names += registry.types.keys.map { ($0, "type") }
        names += registry.constants.keys.map { ($0, "variable") }
        names += Resolver.builtinTypeNames.map { ($0, "type") }
        names += Keywords.all.map { ($0, "keyword") }
        // Names declared earlier in the code being edited.
        if let tokens = try? Lexer.tokenize(SourceText(name: "input", text: String(String.UnicodeScalarView(scalars[0..<position]))), source: 0) {
            for (i, token) in tokens.enumerated() where i + 1 < tokens.count && token.kind == .keyword {
                let next = tokens[i + 1]
                guard next.kind == .identifier else { continue }
                switch token.text {
                case "let", "var": names.append((next.text, "variable"))
                case "func": names.append((next.text, "function"))
                case "struct", "enum", "class": names.append((next.text, "type"))
                default: break
                }
            }
        }
        return names
    }
}

/// Member names of a runtime value, for completion and inspection.
enum Members {
    static func names(of value: Value, interpreter: Interpreter) -> [(String, String)] {
        var names: [(String, String)] = []
        switch value {
        case .type(let type):
            switch type {
            case .structure(let t), .enumeration(let t):
                names += t.cases.map { ($0.name, "property") }
                names += t.staticValues.keys.map { ($0, "property") } + t.staticComputed.keys.map { ($0, "property") }
                names += t.staticMethods.keys.map { ($0, "method") }
                if t.isEnum { names.append(("allCases", "property")) }
            case .named(let name):
                if let native = interpreter.registry.types[name] {
                    names += native.staticProperties.keys.map { ($0, "property") } + native.staticMethods.keys.map { ($0, "method") }
                }
            }
            return names
        case .tuple(let t):
            names += t.labels.compactMap { $0 }.map { ($0, "property") }
            names += t.values.indices.map { (String($0), "property") }
        case .enumCase:
            names.append(("rawValue", "property"))
        default:
            break
        }
        if let type = interpreter.userType(of: value) {
            names += type.storedPropertyNames.map { ($0, "property") } + type.computed.keys.map { ($0, "property") }
            names += type.methods.keys.map { ($0, "method") }
        }
        if let ext = interpreter.extensions[value.memberTypeName] {
            names += ext.computed.keys.map { ($0, "property") } + ext.methods.keys.map { ($0, "method") }
        }
        if let native = interpreter.registry.types[value.memberTypeName] {
            names += native.memberNames.map { ($0.name, $0.kind) }
        }
        return names
    }
}
