/// The signature and documentation of the name under the cursor.
struct InspectionService {
    let interpreter: Interpreter

    func inspect(_ code: String, cursor: Int, detailLevel: Int) -> MIMEBundle? {
        let scalars = Array(code.unicodeScalars)
        let position = min(max(cursor, 0), scalars.count)
        var start = position, end = position
        while start > 0, scalars[start - 1].isIdentifierPart { start -= 1 }
        while end < scalars.count, scalars[end].isIdentifierPart { end += 1 }
        if start == end, start > 0 {
            // The cursor right after `name(`: inspect the function being called.
            var i = start - 1
            while i > 0, scalars[i] == " " { i -= 1 }
            if scalars[i] == "(" {
                end = i
                start = i
                while start > 0, scalars[start - 1].isIdentifierPart { start -= 1 }
            }
        }
        guard start < end else { return nil }
        let name = String(String.UnicodeScalarView(scalars[start..<end]))
        var text: String?
        if start > 0, scalars[start - 1] == "." {
            var receiverStart = start - 1
            while receiverStart > 0, scalars[receiverStart - 1].isIdentifierPart { receiverStart -= 1 }
            let receiver = String(String.UnicodeScalarView(scalars[receiverStart..<(start - 1)]))
            text = describeMember(name, of: receiver)
        } else {
            text = describeName(name)
        }
        guard let text else { return nil }
        return MIMEBundle.plain(text)
    }

    private func describeName(_ name: String) -> String? {
        let registry = interpreter.registry
        if let entry = interpreter.globals.entry(named: name), let value = entry.value {
            var lines: [String] = []
            switch value {
            case .function(let f):
                lines.append(f.signature)
            case .type(.structure(let t)), .type(.enumeration(let t)):
                lines.append((t.isEnum ? "enum " : "struct ") + t.name)
                lines += t.storedProperties.map { "    \($0.isMutable ? "var" : "let") \($0.name)" + ($0.type.map { ": \($0)" } ?? "") }
                lines += t.cases.map { "    case \($0.name)" }
                lines += t.methods.values.map { "    " + $0.signature }
            default:
                let type = entry.type.map(\.description) ?? value.typeName
                lines.append("\(entry.isMutable ? "var" : "let") \(name): \(type) = \(Formatter.debugDescription(of: value))")
            }
            if let doc = entry.doc { lines.append(""); lines.append(doc) }
            return lines.joined(separator: "\n")
        }
        if let overloads = registry.functions[name] {
            return overloads.map { "func " + $0.signature + "\n" + $0.doc }.joined(separator: "\n\n")
        }
        if let type = registry.types[name] {
            var lines = [type.name]
            if !type.doc.isEmpty { lines.append(type.doc) }
            lines += type.initializers.map { "    " + $0.signature }
            return lines.joined(separator: "\n")
        }
        if let constant = registry.constants[name] {
            return "let \(name) = \(Formatter.debugDescription(of: constant.value))\n\(constant.doc)"
        }
        return nil
    }

    private func describeMember(_ name: String, of receiver: String) -> String? {
        let registry = interpreter.registry
        if let value = interpreter.globals.value(of: receiver) {
            if let type = interpreter.userType(of: value) {
                if let method = type.methods[name] { return method.signature + (method.doc.map { "\n" + $0 } ?? "") }
                if let i = type.fieldIndex[name] { return "var \(name)" + (type.storedProperties[i].type.map { ": \($0)" } ?? "") }
            }
            if let native = registry.types[value.memberTypeName] {
                if let overloads = native.methods[name] {
                    return overloads.map { "func " + $0.signature + "\n" + $0.doc }.joined(separator: "\n\n")
                }
                if let property = native.properties[name] { return "var \(name): \(property.type)\n\(property.doc)" }
            }
            return nil
        }
        if let native = registry.types[receiver] {
            if let overloads = native.staticMethods[name] {
                return overloads.map { "static func " + $0.signature + "\n" + $0.doc }.joined(separator: "\n\n")
            }
            if let property = native.staticProperties[name] { return "static var \(name): \(property.type)\n\(property.doc)" }
        }
        return nil
    }
}
