/// Parsing patterns (`case let .some(x)`, tuples, bindings) and type annotations.
extension Parser {
    // MARK: - Patterns

    /// A pattern; with `binding` plain names bind (after `let`/`var`), otherwise they are values.
    mutating func pattern(binding: Bool, mutable: Bool = false, allowExpressions: Bool = true) throws -> Pattern {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maxNesting { throw error("patterns are nested too deeply", at: current) }
        let token = current
        if token.isKeyword("let") || token.isKeyword("var") {
            advance()
            return try pattern(binding: true, mutable: token.text == "var", allowExpressions: allowExpressions)
        }
        if token.isKeyword("is") {
            advance()
            return .typeCheck(try type(), nil)
        }
        var result: Pattern
        if token.kind == .identifier && token.text == "_" {
            advance()
            result = .wildcard
        } else if binding && token.kind == .identifier && !(peekToken().isPunctuation(".") || peekToken().isPunctuation("(")) {
            advance()
            result = .binding(Binding(name: token.text, span: SourceSpan(source: source, start: token.start, end: token.end), isMutable: mutable))
        } else if token.isPunctuation("(") {
            advance()
            var items: [Pattern] = []
            var labels: [String?] = []
            while !current.isPunctuation(")") {
                var label: String?
                if current.kind == .identifier && peekToken().isPunctuation(":") { label = advance().text; advance() }
                items.append(try pattern(binding: binding, mutable: mutable, allowExpressions: allowExpressions))
                labels.append(label)
                if current.isPunctuation(",") { advance() } else if !current.isPunctuation(")") {
                    throw error("expected ',' or ')' in the tuple pattern", at: current)
                }
            }
            advance()
            result = items.count == 1 && labels[0] == nil ? items[0] : .tuple(items, labels: labels)
        } else if token.isPunctuation(".") || (token.kind == .identifier && peekToken().isPunctuation(".") && token.text.first?.isUppercase == true && peekToken(2).kind == .identifier && (peekToken(3).isPunctuation("(") || binding || isCaseEnd(peekToken(3)))) {
            if token.kind == .identifier { advance() }
            advance()
            let name = try identifier("for the enum case")
            var arguments: [Pattern]?
            if current.isPunctuation("(") && !current.spaceBefore {
                advance()
                var items: [Pattern] = []
                while !current.isPunctuation(")") {
                    if current.kind == .identifier && peekToken().isPunctuation(":") { advance(); advance() }
                    items.append(try pattern(binding: binding, mutable: mutable, allowExpressions: allowExpressions))
                    if current.isPunctuation(",") { advance() } else if !current.isPunctuation(")") {
                        throw error("expected ',' or ')' in the case pattern", at: current)
                    }
                }
                advance()
                arguments = items
            }
            result = name == "some" && arguments?.count == 1 ? .optionalSome(arguments![0]) : .enumCase(name: name, arguments: arguments)
        } else if allowExpressions {
            result = .expression(try expression(stopAtColon: true))
        } else {
            throw error("expected a name or a pattern, found \(describe(token))", at: token)
        }
        if current.isOperator("?") && !current.spaceBefore {
            advance()
            result = .optionalSome(result)
        }
        if current.isKeyword("as") {
            advance()
            result = .typeCheck(try type(), result)
        }
        return result
    }

    func isCaseEnd(_ token: Token) -> Bool {
        token.isPunctuation(":") || token.isPunctuation(",") || token.isKeyword("where") || token.isOperator("=") || token.isPunctuation("{")
    }

    // MARK: - Types

    mutating func type() throws -> TypeAnnotation {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maxNesting { throw error("types are nested too deeply", at: current) }
        while current.kind == .attribute || current.isIdentifier("some") || current.isIdentifier("any") || current.isKeyword("inout") { advance() }
        var result: TypeAnnotation
        if current.isPunctuation("[") {
            advance()
            let element = try type()
            if current.isPunctuation(":") {
                advance()
                let value = try type()
                try expectPunctuation("]", "to close the dictionary type")
                result = .dictionary(element, value)
            } else {
                try expectPunctuation("]", "to close the array type")
                result = .array(element)
            }
        } else if current.isPunctuation("(") {
            advance()
            var items: [TypeAnnotation] = []
            var labels: [String?] = []
            while !current.isPunctuation(")") {
                var label: String?
                if (current.kind == .identifier || current.kind == .keyword) && peekToken().isPunctuation(":") { label = advance().text; advance() }
                if current.kind == .identifier && peekToken().kind == .identifier && peekToken(2).isPunctuation(":") { advance(); label = nil; advance(); advance() }
                labels.append(label)
                items.append(try type())
                if current.isOperator("...") { advance() }
                if current.isPunctuation(",") { advance() } else if !current.isPunctuation(")") {
                    throw error("expected ',' or ')' in the type", at: current)
                }
            }
            advance()
            result = items.count == 1 ? items[0] : .tuple(items, labels: labels)
            _ = try effects()
            if current.isPunctuation("->") {
                advance()
                result = .function(items, try type())
            }
        } else {
            let name = try identifier("for the type")
            var arguments: [TypeAnnotation] = []
            if current.isOperator("<") && !current.spaceBefore {
                advance()
                while !(current.kind == .op && current.text.hasPrefix(">")) {
                    arguments.append(try type())
                    if current.isPunctuation(",") { advance() }
                    if atEnd { throw error("expected '>' to close the generic type", at: current) }
                }
                splitClosingAngle()
            }
            var fullName = name
            while current.isPunctuation(".") && peekToken().kind == .identifier { advance(); fullName += "." + advance().text }
            switch (fullName, arguments.count) {
            case ("Array", 1): result = .array(arguments[0])
            case ("Dictionary", 2): result = .dictionary(arguments[0], arguments[1])
            case ("Optional", 1): result = .optional(arguments[0])
            default: result = .named(fullName, arguments)
            }
        }
        while current.kind == .op && (current.text == "?" || current.text == "!" || current.text == "??") && !current.spaceBefore {
            if current.text == "??" { result = .optional(.optional(result)) }
            else if current.text == "?" { result = .optional(result) }
            advance()
        }
        return result
    }

    /// `>>` closing two generic lists: consume one `>`.
    mutating func splitClosingAngle() {
        if current.text == ">" { advance(); return }
        tokens[p].text.removeFirst()
        tokens[p].start += 1
    }
}
