/// Parsing expressions: precedence climbing over operators, postfix chains, literals, closures.
extension Parser {
    /// A full expression (ternary level, with `try`).
    mutating func expression(stopAtColon: Bool = false) throws -> Expr {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maxNesting { throw error("expressions are nested too deeply (more than \(Parser.maxNesting) levels)", at: current) }
        let start = current.start
        if current.isKeyword("try") {
            advance()
            var kind = TryKind.plain
            if current.kind == .op && !current.spaceBefore && (current.text == "?" || current.text == "!") {
                kind = current.text == "?" ? .optional : .forced
                advance()
            }
            let inner = try expression(stopAtColon: stopAtColon)
            return Expr(kind: .tryExpr(kind, inner), span: span(from: start))
        }
        let condition = try binary(0)
        if current.isOperator("?") && current.spaceBefore {
            advance()
            let whenTrue = try expression()
            try expectPunctuation(":", "in the ternary expression")
            let whenFalse = try expression()
            return Expr(kind: .ternary(condition, whenTrue, whenFalse), span: span(from: start))
        }
        // `x = 5` inside a closure body or as an argument-free statement expression.
        return condition
    }

    /// Binary operator precedence levels, loosest first (Swift's precedence groups).
    static let precedence: [String: Int] = [
        "||": 1,
        "&&": 2,
        "==": 3, "!=": 3, "<": 3, ">": 3, "<=": 3, ">=": 3, "===": 3, "!==": 3, "~=": 3,
        "??": 4,
        // 5: is / as
        "..<": 6, "...": 6,
        "+": 7, "-": 7, "|": 7, "^": 7, "&+": 7, "&-": 7,
        "*": 8, "/": 8, "%": 8, "&": 8, "&*": 8,
        "<<": 9, ">>": 9,
    ]

    func isInfix(_ token: Token) -> Bool {
        guard token.kind == .op, Parser.precedence[token.text] != nil else { return false }
        if token.text == "...", isRangeEnd(peekToken()) { return false }
        // Swift: an infix operator has whitespace on both sides or on neither.
        if token.newlineBefore { return token.spaceAfter }
        return token.spaceBefore == token.spaceAfter
    }

    mutating func binary(_ minimum: Int) throws -> Expr {
        let start = current.start
        var left = try unary()
        while true {
            if (current.isKeyword("is") || current.isKeyword("as")) && minimum <= 5 && !current.newlineBefore {
                let keyword = advance().text
                if keyword == "is" {
                    left = Expr(kind: .typeCheck(left, try type()), span: span(from: start))
                } else {
                    var kind = CastKind.plain
                    if current.kind == .op && !current.spaceBefore && (current.text == "?" || current.text == "!") {
                        kind = current.text == "?" ? .optional : .forced
                        advance()
                    }
                    left = Expr(kind: .cast(left, try type(), kind), span: span(from: start))
                }
                continue
            }
            guard isInfix(current), let level = Parser.precedence[current.text], level >= minimum else { break }
            let opToken = advance()
            let op = opToken.text
            // `??` is right-associative; comparisons do not chain.
            let right = try binary(op == "??" ? level : level + 1)
            guard let binaryOp = BinaryOp(rawValue: op) else { throw error("unknown operator '\(op)'", at: opToken) }
            left = Expr(kind: .binary(binaryOp, left, right, opStart: opToken.start), span: span(from: start))
        }
        return left
    }

    /// What may follow a postfix `...` (`xs[2...]`, `case 90...:`).
    func isRangeEnd(_ token: Token) -> Bool {
        token.isPunctuation("]") || token.isPunctuation(")") || token.isPunctuation(":") || token.isPunctuation(",") || token.kind == .endOfFile
    }

    mutating func unary() throws -> Expr {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maxNesting { throw error("expressions are nested too deeply (more than \(Parser.maxNesting) levels)", at: current) }
        let start = current.start
        if current.kind == .op && !current.spaceAfter, ["-", "+", "!", "~", "..<", "..."].contains(current.text) {
            let op = advance().text
            let operand = try unary()
            if op == "-", case .literal(.int(let i)) = operand.kind { return Expr(kind: .literal(.int(-i)), span: span(from: start)) }
            if op == "-", case .literal(.double(let d)) = operand.kind { return Expr(kind: .literal(.double(-d)), span: span(from: start)) }
            return Expr(kind: .unary(op, operand), span: span(from: start))
        }
        if current.isOperator("&") && !current.spaceAfter {
            advance()
            let operand = try unary()
            return Expr(kind: .unary("&", operand), span: span(from: start))
        }
        return try postfix()
    }

    mutating func postfix() throws -> Expr {
        let start = current.start
        var expr = try primary()
        var chained = false
        while true {
            let token = current
            if token.isPunctuation("(") && !token.newlineBefore {
                let arguments = try argumentList(closer: ")")
                expr = Expr(kind: .call(expr, arguments + (try trailingClosures())), span: span(from: start))
            } else if token.isPunctuation("[") && !token.newlineBefore {
                let arguments = try argumentList(closer: "]")
                expr = Expr(kind: .subscriptAccess(expr, arguments), span: span(from: start))
            } else if token.isPunctuation(".") {
                advance()
                let member = current
                if member.kind == .identifier || member.kind == .keyword {
                    advance()
                    expr = Expr(kind: .member(expr, member.text), span: span(from: start))
                } else if member.kind == .integer {
                    advance()
                    expr = Expr(kind: .member(expr, member.text), span: span(from: start))
                } else if member.kind == .floating, member.text.allSatisfy({ $0.isNumber || $0 == "." }) {
                    advance()
                    for part in member.text.split(separator: ".") {
                        expr = Expr(kind: .member(expr, String(part)), span: span(from: start))
                    }
                } else {
                    throw error("expected a member name after '.', found \(describe(member))", at: member)
                }
            } else if token.isOperator("...") && !token.spaceBefore && isRangeEnd(peekToken()) {
                advance()
                expr = Expr(kind: .unary("postfix...", expr), span: span(from: start))
            } else if token.kind == .op && !token.spaceBefore && !token.newlineBefore && (token.text == "?" || token.text == "!") {
                advance()
                if token.text == "?" {
                    chained = true
                    expr = Expr(kind: .bindOptional(expr), span: span(from: start))
                } else {
                    expr = Expr(kind: .forceUnwrap(expr), span: span(from: start))
                }
            } else if token.isPunctuation("{") && allowTrailingClosure && !token.newlineBefore && isCallable(expr) {
                let closures = try trailingClosures()
                if case .call(let callee, let arguments) = expr.kind {
                    expr = Expr(kind: .call(callee, arguments + closures), span: span(from: start))
                } else {
                    expr = Expr(kind: .call(expr, closures), span: span(from: start))
                }
            } else {
                break
            }
        }
        if chained { expr = Expr(kind: .optionalChain(expr), span: expr.span) }
        return expr
    }

    func isCallable(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .name, .member, .call, .implicitMember, .typeReference: return true
        default: return false
        }
    }

    mutating func trailingClosures() throws -> [Argument] {
        guard allowTrailingClosure, current.isPunctuation("{"), !current.newlineBefore else { return [] }
        var arguments = [Argument(label: nil, value: try closure(), isTrailing: true)]
        // Labelled extra trailing closures: `} label: { … }`.
        while current.kind == .identifier && peekToken().isPunctuation(":") && peekToken(2).isPunctuation("{") && !current.newlineBefore {
            let label = advance().text
            advance()
            arguments.append(Argument(label: label, value: try closure()))
        }
        return arguments
    }

    mutating func argumentList(closer: String) throws -> [Argument] {
        advance()
        var arguments: [Argument] = []
        try withTrailingClosure { parser in
            while !parser.current.isPunctuation(closer) {
                if parser.atEnd { throw parser.error("expected '\(closer)' to close the argument list", at: parser.current) }
                var label: String?
                if (parser.current.kind == .identifier || parser.current.kind == .keyword) && parser.peekToken().isPunctuation(":") {
                    label = parser.advance().text
                    parser.advance()
                }
                var isInout = false
                var value: Expr
                if parser.current.isOperator("&") && !parser.current.spaceAfter {
                    parser.advance()
                    isInout = true
                    value = try parser.postfix()
                } else if parser.current.kind == .op && (parser.peekToken().isPunctuation(",") || parser.peekToken().isPunctuation(closer)) {
                    // An operator passed as a function: `reduce(0, +)`, `sorted(by: <)`.
                    let op = parser.advance()
                    value = Expr(kind: .name(NameRef(name: op.text, span: SourceSpan(source: parser.source, start: op.start, end: op.end))), span: SourceSpan(source: parser.source, start: op.start, end: op.end))
                } else {
                    value = try parser.expression()
                }
                arguments.append(Argument(label: label, value: value, isInout: isInout))
                if parser.current.isPunctuation(",") { parser.advance() } else if !parser.current.isPunctuation(closer) {
                    throw parser.error("expected '\(closer)' or ',' in the argument list, found \(parser.describe(parser.current))", at: parser.current)
                }
            }
        }
        advance()
        return arguments
    }

    mutating func primary() throws -> Expr {
        let token = current
        let start = token.start
        let tokenSpan = SourceSpan(source: source, start: token.start, end: token.end)
        switch token.kind {
        case .integer:
            advance()
            return Expr(kind: .literal(.int(token.intValue)), span: tokenSpan)
        case .floating:
            advance()
            return Expr(kind: .literal(.double(token.doubleValue)), span: tokenSpan)
        case .string:
            advance()
            return try stringLiteral(token)
        case .identifier:
            advance()
            if token.text.hasPrefix("$"), let n = Int(token.text.dropFirst()), !dollarStack.isEmpty {
                guard n < 64 else { throw error("closure parameter \(token.text) is out of range (use named parameters)", at: token) }
                dollarStack[dollarStack.count - 1] = max(dollarStack[dollarStack.count - 1], n)
            }
            // `Array<Int>()`, `Set<String>()`: a generic type in expression position.
            if current.isOperator("<") && !current.spaceBefore && token.text.first?.isUppercase == true {
                let saved = p
                p -= 1
                if let type = try? type(), current.isPunctuation("(") || current.isPunctuation(".") {
                    return Expr(kind: .typeReference(type), span: span(from: start))
                }
                p = saved
            }
            return Expr(kind: .name(NameRef(name: token.text, span: tokenSpan)), span: tokenSpan)
        case .keyword:
            switch token.text {
            case "true", "false":
                advance()
                return Expr(kind: .literal(.bool(token.text == "true")), span: tokenSpan)
            case "nil":
                advance()
                return Expr(kind: .literal(.null), span: tokenSpan)
            case "self":
                advance()
                return Expr(kind: .name(NameRef(name: "self", span: tokenSpan)), span: tokenSpan)
            case "init":
                advance()
                return Expr(kind: .name(NameRef(name: "init", span: tokenSpan)), span: tokenSpan)
            case "try":
                return try expression()
            default:
                throw error("expected an expression, found keyword '\(token.text)'", at: token)
            }
        case .punctuation:
            switch token.text {
            case "(":
                advance()
                if current.isPunctuation(")") {
                    advance()
                    return Expr(kind: .tuple([], labels: []), span: span(from: start))
                }
                var items: [Expr] = []
                var labels: [String?] = []
                try withTrailingClosure { parser in
                    while !parser.current.isPunctuation(")") {
                        if parser.atEnd { throw parser.error("expected ')' to close the parenthesis", at: parser.current) }
                        var label: String?
                        if (parser.current.kind == .identifier || parser.current.kind == .keyword) && parser.peekToken().isPunctuation(":") {
                            label = parser.advance().text
                            parser.advance()
                        }
                        items.append(try parser.expression())
                        labels.append(label)
                        if parser.current.isPunctuation(",") { parser.advance() } else if !parser.current.isPunctuation(")") {
                            throw parser.error("expected ')' or ',', found \(parser.describe(parser.current))", at: parser.current)
                        }
                    }
                }
                advance()
                if items.count == 1 && labels[0] == nil { return Expr(kind: items[0].kind, span: span(from: start)) }
                return Expr(kind: .tuple(items, labels: labels), span: span(from: start))
            case "[":
                return try collectionLiteral()
            case "{":
                return try closure()
            case ".":
                advance()
                let name = current
                guard name.kind == .identifier || name.kind == .keyword else {
                    throw error("expected a member name after '.', found \(describe(name))", at: name)
                }
                advance()
                return Expr(kind: .implicitMember(name.text), span: span(from: start))
            default:
                throw error("expected an expression, found \(describe(token))", at: token)
            }
        case .op:
            throw error("expected an expression, found operator '\(token.text)'", at: token)
        case .attribute:
            throw error("unexpected '\(token.text)'", at: token)
        case .endOfFile:
            throw error("expected an expression, found end of input", at: token)
        }
    }

    mutating func collectionLiteral() throws -> Expr {
        let start = current.start
        // `[Int]()` / `[String: Int]()`: an empty collection of a type.
        let saved = p
        if let type = try? type(), current.isPunctuation("("), peekToken().isPunctuation(")"), !current.spaceBefore {
            switch type {
            case .array, .dictionary:
                advance(); advance()
                return Expr(kind: .emptyCollection(type), span: span(from: start))
            default: break
            }
        }
        p = saved
        advance()
        if current.isPunctuation(":") && peekToken().isPunctuation("]") {
            advance(); advance()
            return Expr(kind: .dictionary([]), span: span(from: start))
        }
        var elements: [Expr] = []
        var pairs: [(Expr, Expr)] = []
        var isDictionary = false
        try withTrailingClosure { parser in
            while !parser.current.isPunctuation("]") {
                if parser.atEnd { throw parser.error("expected ']' to close the literal", at: parser.current) }
                let item = try parser.expression()
                if parser.current.isPunctuation(":") {
                    parser.advance()
                    isDictionary = true
                    pairs.append((item, try parser.expression()))
                } else {
                    if isDictionary { throw parser.error("expected ':' in the dictionary literal", at: parser.current) }
                    elements.append(item)
                }
                if parser.current.isPunctuation(",") { parser.advance() } else if !parser.current.isPunctuation("]") {
                    throw parser.error("expected ']' or ',' in the literal, found \(parser.describe(parser.current))", at: parser.current)
                }
            }
        }
        advance()
        if isDictionary { return Expr(kind: .dictionary(pairs), span: span(from: start)) }
        return Expr(kind: .array(elements), span: span(from: start))
    }

    mutating func closure() throws -> Expr {
        let start = current.start
        advance()
        var parameters: [Parameter] = []
        var returnType: TypeAnnotation?
        var canThrow = false
        var explicit = false
        // Try a signature `… in`.
        let saved = p
        if let signature = try? closureSignature() {
            (parameters, returnType, canThrow) = signature
            explicit = true
        } else {
            p = saved
        }
        dollarStack.append(-1)
        var statements: [Stmt] = []
        do {
            try withTrailingClosure { parser in
                while !parser.current.isPunctuation("}") {
                    if parser.atEnd { throw parser.error("expected '}' to close the closure", at: parser.current) }
                    if parser.current.isPunctuation(";") { parser.advance(); continue }
                    try parser.statement(into: &statements)
                    try parser.endOfStatement()
                }
            }
        } catch {
            dollarStack.removeLast()
            throw error
        }
        advance()
        let dollars = dollarStack.removeLast()
        let decl = FunctionDecl(name: "closure", parameters: parameters, returnType: returnType, body: Block(statements: statements), span: span(from: start))
        decl.isClosure = true
        decl.canThrow = canThrow
        if !explicit && dollars >= 0 {
            decl.implicitParameterCount = dollars + 1
            decl.parameters = (0...dollars).map { n in
                Parameter(label: nil, name: "$\(n)", type: nil, defaultValue: nil, isInout: false, isVariadic: false,
                          binding: Binding(name: "$\(n)", span: decl.span, isMutable: false))
            }
        }
        return Expr(kind: .closure(decl), span: decl.span)
    }

    mutating func closureSignature() throws -> ([Parameter], TypeAnnotation?, Bool) {
        if current.isPunctuation("[") { try skipBalanced() }
        var parameters: [Parameter] = []
        if current.isPunctuation("(") {
            advance()
            while !current.isPunctuation(")") {
                let nameToken = advance()
                guard nameToken.kind == .identifier else { throw error("not a closure parameter", at: nameToken) }
                var name = nameToken.text
                if current.kind == .identifier { name = advance().text }
                var type: TypeAnnotation?
                var isInout = false
                if current.isPunctuation(":") {
                    advance()
                    if current.isKeyword("inout") { isInout = true; advance() }
                    type = try self.type()
                }
                parameters.append(Parameter(label: nil, name: name, type: type, defaultValue: nil, isInout: isInout, isVariadic: false,
                                            binding: Binding(name: name, span: SourceSpan(source: source, start: nameToken.start, end: nameToken.end), isMutable: false)))
                if current.isPunctuation(",") { advance() } else if !current.isPunctuation(")") { throw error("not a closure parameter list", at: current) }
            }
            advance()
        } else {
            while current.kind == .identifier {
                let nameToken = advance()
                parameters.append(Parameter(label: nil, name: nameToken.text, type: nil, defaultValue: nil, isInout: false, isVariadic: false,
                                            binding: Binding(name: nameToken.text, span: SourceSpan(source: source, start: nameToken.start, end: nameToken.end), isMutable: false)))
                if current.isPunctuation(",") { advance() } else { break }
            }
            if parameters.isEmpty && !current.isKeyword("in") { throw error("no signature", at: current) }
        }
        let canThrow = try effects()
        var returnType: TypeAnnotation?
        if current.isPunctuation("->") { advance(); returnType = try type() }
        guard current.isKeyword("in") else { throw error("no 'in'", at: current) }
        advance()
        for i in parameters.indices where parameters[i].name == "_" {
            parameters[i].name = "_\(i)"
        }
        return (parameters, returnType, canThrow)
    }

    mutating func stringLiteral(_ token: Token) throws -> Expr {
        let tokenSpan = SourceSpan(source: source, start: token.start, end: token.end)
        if token.segments.count == 1, case .text(let text) = token.segments[0] {
            return Expr(kind: .literal(.string(text)), span: tokenSpan)
        }
        var parts: [InterpolationPart] = []
        for segment in token.segments {
            switch segment {
            case .text(let text):
                parts.append(.text(text))
            case .code(var codeTokens, let start, let end):
                codeTokens.append(Token(kind: .endOfFile, text: "", start: end, end: end, spaceBefore: true, newlineBefore: true))
                var inner = Parser(tokens: codeTokens, source: source)
                inner.dollarStack = dollarStack
                if inner.atEnd { throw ParseError("empty string interpolation \\()", span: SourceSpan(source: source, start: start, end: end)) }
                let expr = try inner.expression()
                if !inner.atEnd { throw inner.error("unexpected \(inner.describe(inner.current)) in string interpolation", at: inner.current) }
                for (i, n) in inner.dollarStack.enumerated() where i < dollarStack.count { dollarStack[i] = max(dollarStack[i], n) }
                parts.append(.code(expr))
            }
        }
        return Expr(kind: .interpolation(parts), span: tokenSpan)
    }
}
