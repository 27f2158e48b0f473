/// Recursive-descent parser from tokens to `TemplateNode`s, following Jinja2's grammar and
/// operator precedence (ternary < or < and < not < comparison < + - < ~ < * / // % < ** < unary <
/// filters, tests, calls, subscripts).
struct TemplateParser {
    private var tokens: [TemplateToken]
    private var position = 0
    /// How deeply blocks and expressions nest right now (recursion depth, bounded).
    private var depth = 0
    static let maximumDepth = 200

    init(tokens: [TemplateToken]) {
        self.tokens = tokens
    }

    mutating func parseTemplate() throws -> [TemplateNode] {
        let (nodes, end) = try parseBody(until: [])
        if let end { throw syntax("unexpected '{% \(end) %}'") }
        return nodes
    }

    // MARK: - Statements

    private var current: TemplateToken { tokens[position] }

    private func syntax(_ message: String) -> TemplateError {
        .syntax(message: message, line: current.line)
    }

    /// Parses nodes until a statement whose keyword is in `terminators` (consumed up to the keyword)
    /// or the end of input; returns the terminator found.
    private mutating func parseBody(until terminators: Set<String>) throws -> ([TemplateNode], String?) {
        try enter()
        defer { depth -= 1 }
        var nodes = [TemplateNode]()
        while true {
            let token = current
            switch token.kind {
            case .end:
                if !terminators.isEmpty {
                    throw syntax("missing \(terminators.sorted().map { "{% \($0) %}" }.joined(separator: " or "))")
                }
                return (nodes, nil)
            case let .text(text):
                position += 1
                nodes.append(TemplateNode(kind: .text(text), line: token.line))
            case .expressionStart:
                position += 1
                let expression = try parseExpression()
                try expect(.expressionEnd, "}}")
                nodes.append(TemplateNode(kind: .output(expression), line: token.line))
            case .statementStart:
                position += 1
                guard case let .name(keyword) = current.kind else { throw syntax("expected a statement keyword") }
                if terminators.contains(keyword) {
                    position += 1
                    return (nodes, keyword)
                }
                position += 1
                nodes.append(try parseStatement(keyword, line: token.line))
            default:
                throw syntax("unexpected token")
            }
        }
    }

    private mutating func parseStatement(_ keyword: String, line: Int) throws -> TemplateNode {
        switch keyword {
        case "if":
            var branches = [(condition: TemplateExpression, body: [TemplateNode])]()
            var condition = try parseExpression()
            var otherwise = [TemplateNode]()
            while true {
                try expect(.statementEnd, "%}")
                let (body, end) = try parseBody(until: ["elif", "else", "endif"])
                branches.append((condition, body))
                if end == "elif" {
                    condition = try parseExpression()
                    continue
                }
                if end == "else" {
                    try expect(.statementEnd, "%}")
                    (otherwise, _) = try parseBody(until: ["endif"])
                }
                try expect(.statementEnd, "%}")
                return TemplateNode(kind: .conditional(branches, otherwise: otherwise), line: line)
            }
        case "for":
            let target = try parseTarget()
            try expectName("in")
            let iterable = try parseExpression(allowConditional: false)
            var filter: TemplateExpression?
            if acceptName("if") { filter = try parseExpression() }
            if acceptName("recursive") { throw syntax("recursive loops are not supported") }
            try expect(.statementEnd, "%}")
            let (body, end) = try parseBody(until: ["else", "endfor"])
            var otherwise = [TemplateNode]()
            if end == "else" {
                try expect(.statementEnd, "%}")
                (otherwise, _) = try parseBody(until: ["endfor"])
            }
            try expect(.statementEnd, "%}")
            return TemplateNode(kind: .loop(target: target, iterable: iterable, filter: filter, body: body,
                                            otherwise: otherwise), line: line)
        case "set":
            let target = try parseTarget()
            if accept(.symbol("=")) {
                let value = try parseTupleOrExpression()
                try expect(.statementEnd, "%}")
                return TemplateNode(kind: .assign(target, value), line: line)
            }
            try expect(.statementEnd, "%}")
            let (body, _) = try parseBody(until: ["endset"])
            try expect(.statementEnd, "%}")
            return TemplateNode(kind: .assignBlock(target, body: body), line: line)
        case "macro":
            guard case let .name(name) = current.kind else { throw syntax("expected a macro name") }
            position += 1
            try expect(.symbol("("), "(")
            var parameters = [(name: String, defaultValue: TemplateExpression?)]()
            while !accept(.symbol(")")) {
                guard case let .name(parameter) = current.kind else { throw syntax("expected a parameter name") }
                position += 1
                let defaultValue = accept(.symbol("=")) ? try parseExpression() : nil
                parameters.append((parameter, defaultValue))
                if !accept(.symbol(",")) {
                    try expect(.symbol(")"), ")")
                    break
                }
            }
            try expect(.statementEnd, "%}")
            let (body, _) = try parseBody(until: ["endmacro"])
            if case .name = current.kind { position += 1 } // {% endmacro name %}
            try expect(.statementEnd, "%}")
            return TemplateNode(kind: .macro(TemplateMacro(name: name, parameters: parameters, body: body)), line: line)
        case "filter":
            guard case let .name(name) = current.kind else { throw syntax("expected a filter name") }
            position += 1
            var arguments = [TemplateExpression]()
            if accept(.symbol("(")) { (arguments, _) = try parseArguments() }
            try expect(.statementEnd, "%}")
            let (body, _) = try parseBody(until: ["endfilter"])
            try expect(.statementEnd, "%}")
            return TemplateNode(kind: .filterBlock(name: name, arguments: arguments, body: body), line: line)
        case "generation":
            try expect(.statementEnd, "%}")
            let (body, _) = try parseBody(until: ["endgeneration"])
            try expect(.statementEnd, "%}")
            return TemplateNode(kind: .passthrough(body), line: line)
        case "break":
            try expect(.statementEnd, "%}")
            return TemplateNode(kind: .breakLoop, line: line)
        case "continue":
            try expect(.statementEnd, "%}")
            return TemplateNode(kind: .continueLoop, line: line)
        default:
            throw TemplateError.syntax(message: "unknown statement '\(keyword)'", line: line)
        }
    }

    private mutating func parseTarget() throws -> TemplateTarget {
        var targets = [try parseSingleTarget()]
        while accept(.symbol(",")) { targets.append(try parseSingleTarget()) }
        return targets.count == 1 ? targets[0] : .tuple(targets)
    }

    private mutating func parseSingleTarget() throws -> TemplateTarget {
        if accept(.symbol("(")) {
            let inner = try parseTarget()
            try expect(.symbol(")"), ")")
            return inner
        }
        guard case let .name(name) = current.kind else { throw syntax("expected a variable name") }
        position += 1
        if accept(.symbol(".")) {
            guard case let .name(attribute) = current.kind else { throw syntax("expected an attribute name") }
            position += 1
            return .attribute(.name(name), attribute)
        }
        return .name(name)
    }

    // MARK: - Expressions

    /// An expression, or several separated by commas (a tuple, as in `set a = 1, 2`).
    private mutating func parseTupleOrExpression() throws -> TemplateExpression {
        let first = try parseExpression()
        guard case .symbol(",") = current.kind else { return first }
        var items = [first]
        while accept(.symbol(",")) {
            if case .statementEnd = current.kind { break }
            items.append(try parseExpression())
        }
        return .tuple(items)
    }

    /// One level deeper; templates nested past `maximumDepth` are rejected (the recursion would
    /// overflow the stack).
    private mutating func enter() throws {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw syntax("blocks or expressions nested more than \(Self.maximumDepth) deep")
        }
    }

    mutating func parseExpression(allowConditional: Bool = true) throws -> TemplateExpression {
        try enter()
        defer { depth -= 1 }
        var expression = try parseOr()
        guard allowConditional else { return expression }
        while acceptName("if") {
            let condition = try parseOr()
            let otherwise = acceptName("else") ? try parseExpression() : nil
            expression = .conditional(then: expression, condition: condition, otherwise: otherwise)
        }
        return expression
    }

    private mutating func parseOr() throws -> TemplateExpression {
        var left = try parseAnd()
        while acceptName("or") { left = .or(left, try parseAnd()) }
        return left
    }

    private mutating func parseAnd() throws -> TemplateExpression {
        var left = try parseNot()
        while acceptName("and") { left = .and(left, try parseNot()) }
        return left
    }

    private mutating func parseNot() throws -> TemplateExpression {
        if acceptName("not") {
            try enter()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws -> TemplateExpression {
        var left = try parseAdditive()
        while true {
            if case let .symbol(op) = current.kind, ["==", "!=", "<", "<=", ">", ">="].contains(op) {
                position += 1
                left = .binary(op, left, try parseAdditive())
            } else if acceptName("in") {
                left = .binary("in", left, try parseAdditive())
            } else if case .name("not") = current.kind, position + 1 < tokens.count, tokens[position + 1].kind == .name("in") {
                position += 2
                left = .not(.binary("in", left, try parseAdditive()))
            } else {
                return left
            }
        }
    }

    private mutating func parseAdditive() throws -> TemplateExpression {
        var left = try parseConcatenation()
        while case let .symbol(op) = current.kind, op == "+" || op == "-" {
            position += 1
            left = .binary(op, left, try parseConcatenation())
        }
        return left
    }

    private mutating func parseConcatenation() throws -> TemplateExpression {
        var left = try parseMultiplicative()
        while accept(.symbol("~")) { left = .binary("~", left, try parseMultiplicative()) }
        return left
    }

    private mutating func parseMultiplicative() throws -> TemplateExpression {
        var left = try parsePower()
        while case let .symbol(op) = current.kind, ["*", "/", "//", "%"].contains(op) {
            position += 1
            left = .binary(op, left, try parsePower())
        }
        return left
    }

    private mutating func parsePower() throws -> TemplateExpression {
        var left = try parseUnary()
        while accept(.symbol("**")) { left = .binary("**", left, try parseUnary()) }
        return left
    }

    private mutating func parseUnary(withFilters: Bool = true) throws -> TemplateExpression {
        try enter()
        defer { depth -= 1 }
        var expression: TemplateExpression
        if accept(.symbol("-")) {
            expression = .unary("-", try parseUnary(withFilters: false))
        } else if accept(.symbol("+")) {
            expression = try parseUnary(withFilters: false)
        } else {
            expression = try parsePostfix(try parsePrimary())
        }
        return withFilters ? try parseFiltersAndTests(expression) : expression
    }

    private mutating func parsePrimary() throws -> TemplateExpression {
        let token = current
        position += 1
        switch token.kind {
        case let .name(name):
            switch name {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(name)
            }
        case var .string(text):
            while case let .string(more) = current.kind { // adjacent literals concatenate
                text += more
                position += 1
            }
            return .literal(.string(text))
        case let .integer(n): return .literal(.int(n))
        case let .float(d): return .literal(.double(d))
        case .symbol("("):
            if accept(.symbol(")")) { return .tuple([]) }
            let first = try parseExpression()
            if accept(.symbol(")")) { return first }
            var items = [first]
            while accept(.symbol(",")) {
                if case .symbol(")") = current.kind { break }
                items.append(try parseExpression())
            }
            try expect(.symbol(")"), ")")
            return .tuple(items)
        case .symbol("["):
            var items = [TemplateExpression]()
            while !accept(.symbol("]")) {
                items.append(try parseExpression())
                if !accept(.symbol(",")) {
                    try expect(.symbol("]"), "]")
                    break
                }
            }
            return .list(items)
        case .symbol("{"):
            var pairs = [(key: TemplateExpression, value: TemplateExpression)]()
            while !accept(.symbol("}")) {
                let key = try parseExpression()
                try expect(.symbol(":"), ":")
                pairs.append((key, try parseExpression()))
                if !accept(.symbol(",")) {
                    try expect(.symbol("}"), "}")
                    break
                }
            }
            return .dictionary(pairs)
        default:
            position -= 1
            throw syntax("unexpected \(Self.describe(token.kind)) in an expression")
        }
    }

    private mutating func parsePostfix(_ base: TemplateExpression) throws -> TemplateExpression {
        var expression = base
        while true {
            if accept(.symbol(".")) {
                switch current.kind {
                case let .name(name):
                    position += 1
                    expression = .attribute(expression, name)
                case let .integer(n):
                    position += 1
                    expression = .item(expression, .literal(.int(n)))
                default:
                    throw syntax("expected an attribute name after '.'")
                }
            } else if accept(.symbol("[")) {
                expression = try parseSubscript(expression)
            } else if accept(.symbol("(")) {
                let (arguments, keywords) = try parseArguments()
                expression = .call(expression, arguments: arguments, keywords: keywords)
            } else {
                return expression
            }
        }
    }

    private mutating func parseSubscript(_ base: TemplateExpression) throws -> TemplateExpression {
        var parts: [TemplateExpression?] = [nil]
        var colons = 0
        while !accept(.symbol("]")) {
            if accept(.symbol(":")) {
                colons += 1
                parts.append(nil)
                continue
            }
            guard parts[parts.count - 1] == nil else { throw syntax("expected ']'") }
            parts[parts.count - 1] = try parseExpression()
        }
        if colons == 0 {
            guard let index = parts[0] else { throw syntax("empty subscript") }
            return .item(base, index)
        }
        guard colons <= 2 else { throw syntax("too many ':' in a slice") }
        return .slice(base, start: parts[0], stop: parts.count > 1 ? parts[1] : nil, step: parts.count > 2 ? parts[2] : nil)
    }

    /// Arguments after an opening parenthesis, up to and including the closing one.
    private mutating func parseArguments() throws -> ([TemplateExpression], [(String, TemplateExpression)]) {
        var arguments = [TemplateExpression]()
        var keywords = [(String, TemplateExpression)]()
        while !accept(.symbol(")")) {
            if case let .name(name) = current.kind, position + 1 < tokens.count, tokens[position + 1].kind == .symbol("=") {
                position += 2
                keywords.append((name, try parseExpression()))
            } else {
                arguments.append(try parseExpression())
            }
            if !accept(.symbol(",")) {
                try expect(.symbol(")"), ")")
                break
            }
        }
        return (arguments, keywords)
    }

    private mutating func parseFiltersAndTests(_ base: TemplateExpression) throws -> TemplateExpression {
        var expression = base
        while true {
            if accept(.symbol("|")) {
                guard case let .name(name) = current.kind else { throw syntax("expected a filter name after '|'") }
                position += 1
                var arguments = [TemplateExpression]()
                var keywords = [(String, TemplateExpression)]()
                if accept(.symbol("(")) { (arguments, keywords) = try parseArguments() }
                expression = .filter(expression, name: name, arguments: arguments, keywords: keywords)
            } else if acceptName("is") {
                let negated = acceptName("not")
                guard case var .name(name) = current.kind else {
                    if case .symbol("==") = current.kind { position += 1; return try testTail(expression, "==", negated) }
                    throw syntax("expected a test name after 'is'")
                }
                position += 1
                if name == "none" || name == "true" || name == "false" { name = name.lowercased() }
                expression = try testTail(expression, name, negated)
            } else if accept(.symbol("(")) {
                let (arguments, keywords) = try parseArguments()
                expression = .call(expression, arguments: arguments, keywords: keywords)
            } else {
                return expression
            }
        }
    }

    /// A test's optional argument: `is divisibleby(3)`, `is equalto 3`, `is sameas none`.
    private mutating func testTail(_ subject: TemplateExpression, _ name: String, _ negated: Bool) throws -> TemplateExpression {
        var arguments = [TemplateExpression]()
        if accept(.symbol("(")) {
            (arguments, _) = try parseArguments()
        } else {
            switch current.kind {
            case .name("and"), .name("or"), .name("else"), .name("if"), .name("in"), .name("is"), .name("not"):
                break
            case .name, .string, .integer, .float:
                arguments = [try parsePostfix(try parsePrimary())]
            default:
                break
            }
        }
        return .test(subject, name: name, arguments: arguments, negated: negated)
    }

    // MARK: - Token helpers

    private mutating func accept(_ kind: TemplateToken.Kind) -> Bool {
        guard current.kind == kind else { return false }
        position += 1
        return true
    }

    private mutating func acceptName(_ name: String) -> Bool { accept(.name(name)) }

    private mutating func expect(_ kind: TemplateToken.Kind, _ spelling: String) throws {
        guard accept(kind) else { throw syntax("expected '\(spelling)' but found \(Self.describe(current.kind))") }
    }

    private mutating func expectName(_ name: String) throws {
        guard acceptName(name) else { throw syntax("expected '\(name)' but found \(Self.describe(current.kind))") }
    }

    private static func describe(_ kind: TemplateToken.Kind) -> String {
        switch kind {
        case let .text(t): return "text \"\(t.prefix(20))\""
        case .expressionStart: return "'{{'"
        case .expressionEnd: return "'}}'"
        case .statementStart: return "'{%'"
        case .statementEnd: return "'%}'"
        case let .name(n): return "'\(n)'"
        case let .string(s): return "string '\(s.prefix(20))'"
        case let .integer(n): return "\(n)"
        case let .float(d): return "\(d)"
        case let .symbol(s): return "'\(s)'"
        case .end: return "the end of the template"
        }
    }
}
