/// Recursive-descent parser with precedence climbing: tokens → statements.
struct Parser {
    private var tokens: [Token]
    private var p = 0
    private let source: Int
    /// Trailing closures are not allowed in `if`/`while`/`for`/`switch`/`guard` heads.
    private var allowTrailingClosure = true
    /// Per closure being parsed: the highest `$n` used (-1 when none).
    private var dollarStack: [Int] = []
    /// Nesting of expressions and blocks; deep nesting is an error, not a stack overflow.
    private var nesting = 0
    static let maxNesting = 256

    init(tokens: [Token], source: Int) {
        self.tokens = tokens
        self.source = source
    }

    /// Parses a whole cell or script.
    static func parse(_ text: SourceText, source: Int) throws -> [Stmt] {
        let tokens = try Lexer.tokenize(text, source: source)
        var parser = Parser(tokens: tokens, source: source)
        return try parser.program()
    }

    mutating func program() throws -> [Stmt] {
        var statements: [Stmt] = []
        while !atEnd {
            if current.isPunctuation(";") { advance(); continue }
            if current.isPunctuation("}") { throw error("unexpected '}': there is no open '{' to close", at: current) }
            try statement(into: &statements)
            try endOfStatement()
        }
        return statements
    }

    // MARK: - Token helpers

    private var current: Token { tokens[p] }
    private var atEnd: Bool { current.kind == .endOfFile }
    private func peekToken(_ offset: Int = 1) -> Token { tokens[min(p + offset, tokens.count - 1)] }
    private var previousEnd: Int { p > 0 ? tokens[p - 1].end : 0 }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return token
    }

    private func span(from start: Int) -> SourceSpan {
        SourceSpan(source: source, start: start, end: max(previousEnd, start))
    }

    private func error(_ message: String, at token: Token) -> ParseError {
        if token.kind == .endOfFile {
            let end = lastRealTokenEnd
            return ParseError(message, span: SourceSpan(source: source, start: end, end: end + 1), isAtEnd: true)
        }
        return ParseError(message, span: SourceSpan(source: source, start: token.start, end: max(token.end, token.start + 1)))
    }

    /// The end of the last token before the end of input.
    private var lastRealTokenEnd: Int {
        tokens.count >= 2 ? tokens[tokens.count - 2].end : 0
    }

    private func describe(_ token: Token) -> String {
        token.kind == .endOfFile ? "end of input" : "'\(token.text)'"
    }

    private mutating func expectPunctuation(_ p: String, _ context: String) throws {
        guard current.isPunctuation(p) else { throw error("expected '\(p)' \(context), found \(describe(current))", at: current) }
        advance()
    }

    private mutating func expectKeyword(_ k: String, _ context: String) throws {
        guard current.isKeyword(k) else { throw error("expected '\(k)' \(context), found \(describe(current))", at: current) }
        advance()
    }

    private mutating func identifier(_ context: String) throws -> String {
        guard current.kind == .identifier else { throw error("expected a name \(context), found \(describe(current))", at: current) }
        return advance().text
    }

    private mutating func endOfStatement() throws {
        if current.isPunctuation(";") { advance(); return }
        if atEnd || current.isPunctuation("}") || current.newlineBefore { return }
        throw error("unexpected \(describe(current)): separate statements on one line with ';'", at: current)
    }

    // MARK: - Statements

    private static let modifiers: Set<String> = [
        "private", "fileprivate", "public", "internal", "open", "final", "override", "lazy", "indirect",
        "mutating", "nonmutating", "convenience", "required", "weak", "unowned", "nonisolated", "dynamic",
    ]

    mutating func statement(into statements: inout [Stmt]) throws {
        let start = current.start
        let doc = current.doc
        // Attributes and modifiers.
        var isMutating = false, isStatic = false
        while true {
            if current.kind == .attribute {
                advance()
                if current.isPunctuation("(") && !current.spaceBefore { try skipBalanced() }
            } else if current.kind == .identifier, Parser.modifiers.contains(current.text),
                      peekToken().kind == .keyword || Parser.modifiers.contains(peekToken().text) {
                if current.text == "mutating" { isMutating = true }
                advance()
            } else if current.isKeyword("static") || (current.isKeyword("class") && (peekToken().isKeyword("func") || peekToken().isKeyword("var") || peekToken().isKeyword("let"))) {
                isStatic = true
                advance()
            } else { break }
        }
        // Labelled loops.
        if current.kind == .identifier, peekToken().isPunctuation(":"),
           peekToken(2).isKeyword("for") || peekToken(2).isKeyword("while") || peekToken(2).isKeyword("repeat") {
            let label = advance().text
            advance()
            statements.append(try loop(label: label, start: start))
            return
        }
        let token = current
        if token.isIdentifier("deinit") && peekToken().isPunctuation("{") {
            advance()
            _ = try block()
            statements.append(Stmt(kind: .empty, span: span(from: start)))
            return
        }
        if token.isIdentifier("subscript") && peekToken().isPunctuation("(") {
            try subscriptDeclaration(into: &statements)
            return
        }
        if token.kind == .keyword {
            switch token.text {
            case "let", "var":
                try variableDeclarations(isStatic: isStatic, doc: doc, into: &statements)
                return
            case "func":
                let decl = try functionDeclaration(doc: doc)
                decl.isMutating = isMutating
                decl.isStatic = isStatic
                statements.append(Stmt(kind: .function(decl), span: span(from: start)))
                return
            case "init":
                let decl = try initializerDeclaration(doc: doc)
                statements.append(Stmt(kind: .function(decl), span: span(from: start)))
                return
            case "struct", "class":
                statements.append(try structDeclaration(doc: doc))
                return
            case "enum":
                statements.append(try enumDeclaration(doc: doc))
                return
            case "extension":
                advance()
                let name = try typeName()
                if current.isPunctuation(":") { advance(); _ = try conformances() }
                if current.isKeyword("where") { while !current.isPunctuation("{") && !atEnd { advance() } }
                let members = try memberBlock()
                statements.append(Stmt(kind: .extensionDecl(ExtensionDecl(typeName: name, members: members, span: span(from: start))), span: span(from: start)))
                return
            case "protocol":
                advance()
                _ = try identifier("after 'protocol'")
                while !current.isPunctuation("{") && !atEnd { advance() }
                try skipBalanced()
                statements.append(Stmt(kind: .empty, span: span(from: start)))
                return
            case "typealias":
                advance()
                _ = try identifier("after 'typealias'")
                guard current.isOperator("=") else { throw error("expected '=' in typealias", at: current) }
                advance()
                _ = try type()
                statements.append(Stmt(kind: .empty, span: span(from: start)))
                return
            case "import":
                advance()
                while current.kind == .identifier || current.isPunctuation(".") || current.kind == .keyword, !current.newlineBefore || current.isPunctuation(".") {
                    if current.isKeyword("import") { break }
                    advance()
                }
                statements.append(Stmt(kind: .empty, span: span(from: start)))
                return
            case "if":
                statements.append(try ifStatement())
                return
            case "guard":
                advance()
                let conditions = try conditionList()
                try expectKeyword("else", "after guard conditions")
                let body = try block()
                statements.append(Stmt(kind: .guardStatement(conditions, body), span: span(from: start)))
                return
            case "for", "while", "repeat":
                statements.append(try loop(label: nil, start: start))
                return
            case "switch":
                statements.append(try switchStatement())
                return
            case "do":
                advance()
                let body = try block()
                var clauses: [CatchClause] = []
                while current.isKeyword("catch") {
                    let catchToken = advance()
                    var pattern: Pattern?
                    var guardExpr: Expr?
                    if !current.isPunctuation("{") {
                        pattern = try self.pattern(binding: false)
                        if current.isKeyword("where") { advance(); guardExpr = try noTrailingClosure { try $0.expression() } }
                    }
                    let body = try block()
                    let binding = Binding(name: "error", span: SourceSpan(source: source, start: catchToken.start, end: catchToken.end), isMutable: false)
                    clauses.append(CatchClause(pattern: pattern, guardExpr: guardExpr, body: body, errorBinding: binding))
                }
                statements.append(Stmt(kind: clauses.isEmpty ? .block(body) : .doCatch(body, clauses), span: span(from: start)))
                return
            case "return":
                advance()
                var value: Expr?
                if !atEnd && !current.newlineBefore && !current.isPunctuation("}") && !current.isPunctuation(";") {
                    value = try expression()
                }
                statements.append(Stmt(kind: .returnStatement(value), span: span(from: start)))
                return
            case "throw":
                advance()
                statements.append(Stmt(kind: .throwStatement(try expression()), span: span(from: start)))
                return
            case "break", "continue":
                advance()
                var label: String?
                if current.kind == .identifier && !current.newlineBefore { label = advance().text }
                statements.append(Stmt(kind: token.text == "break" ? .breakStatement(label) : .continueStatement(label), span: span(from: start)))
                return
            case "fallthrough":
                advance()
                statements.append(Stmt(kind: .fallthroughStatement, span: span(from: start)))
                return
            case "defer":
                advance()
                statements.append(Stmt(kind: .deferStatement(try block()), span: span(from: start)))
                return
            default:
                break
            }
        }
        // Expression or assignment.
        let target = try expression()
        if current.kind == .op, Parser.assignmentOperators.contains(current.text) {
            let op = advance().text
            let value = try expression()
            statements.append(Stmt(kind: .assign(target, op == "=" ? nil : BinaryOp(rawValue: String(op.dropLast())), value), span: span(from: start)))
            return
        }
        statements.append(Stmt(kind: .expression(target), span: span(from: start)))
    }

    static let assignmentOperators: Set<String> = ["=", "+=", "-=", "*=", "/=", "%=", "&&=", "||=", "&=", "|=", "^=", "<<=", ">>="]

    private mutating func skipBalanced() throws {
        let open = current
        let closer: String = open.text == "(" ? ")" : open.text == "[" ? "]" : "}"
        advance()
        var depth = 1
        while depth > 0 {
            if atEnd { throw error("expected '\(closer)' to match '\(open.text)'", at: current) }
            if current.isPunctuation(open.text) { depth += 1 }
            if current.isPunctuation(closer) { depth -= 1 }
            advance()
        }
    }

    private mutating func noTrailingClosure<T>(_ body: (inout Parser) throws -> T) throws -> T {
        let saved = allowTrailingClosure
        allowTrailingClosure = false
        defer { allowTrailingClosure = saved }
        return try body(&self)
    }

    private mutating func withTrailingClosure<T>(_ body: (inout Parser) throws -> T) throws -> T {
        let saved = allowTrailingClosure
        allowTrailingClosure = true
        defer { allowTrailingClosure = saved }
        return try body(&self)
    }

    mutating func block() throws -> Block {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maxNesting { throw error("blocks are nested too deeply (more than \(Parser.maxNesting) levels)", at: current) }
        guard current.isPunctuation("{") else { throw error("expected '{' to start a block, found \(describe(current))", at: current) }
        advance()
        var statements: [Stmt] = []
        try withTrailingClosure { parser in
            while !parser.current.isPunctuation("}") {
                if parser.atEnd { throw parser.error("expected '}' to close the block", at: parser.current) }
                if parser.current.isPunctuation(";") { parser.advance(); continue }
                try parser.statement(into: &statements)
                try parser.endOfStatement()
            }
        }
        advance()
        return Block(statements: statements)
    }

    private mutating func variableDeclarations(isStatic: Bool, doc: String?, into statements: inout [Stmt]) throws {
        let start = current.start
        let isMutable = advance().text == "var"
        repeat {
            if current.isPunctuation(",") { advance() }
            let pattern = try self.pattern(binding: true, mutable: isMutable, allowExpressions: false)
            var annotation: TypeAnnotation?
            if current.isPunctuation(":") { advance(); annotation = try type() }
            var initializer: Expr?
            var getter: FunctionDecl?
            var setter: FunctionDecl?
            if current.isOperator("=") {
                advance()
                initializer = try expression()
            } else if current.isPunctuation("{"), case .binding(let binding) = pattern {
                (getter, setter) = try accessors(name: binding.name, type: annotation)
            }
            var decl = VariableDecl(isMutable: isMutable, pattern: pattern, type: annotation, initializer: initializer)
            decl.isStatic = isStatic
            decl.getter = getter
            decl.setter = setter
            decl.doc = doc
            statements.append(Stmt(kind: .variable(decl), span: span(from: start)))
        } while current.isPunctuation(",")
    }

    /// `{ … }` after a computed property: a getter body, or `get { } set(v) { }`; observers
    /// (`didSet`/`willSet`) are parsed and ignored.
    private mutating func accessors(name: String, type: TypeAnnotation?) throws -> (FunctionDecl?, FunctionDecl?) {
        let start = current.start
        let first = peekToken()
        if first.kind == .identifier && (first.text == "get" || first.text == "set" || first.text == "didSet" || first.text == "willSet") && (peekToken(2).isPunctuation("{") || peekToken(2).isPunctuation("(")) {
            advance()
            var getter: FunctionDecl?, setter: FunctionDecl?
            while !current.isPunctuation("}") {
                let word = try identifier("in accessor block")
                var parameterName = word == "set" ? "newValue" : "oldValue"
                if current.isPunctuation("(") { advance(); parameterName = try identifier("in accessor"); try expectPunctuation(")", "after accessor parameter") }
                let accessorStart = current.start
                let body = try block()
                switch word {
                case "get":
                    getter = FunctionDecl(name: name, parameters: [], returnType: type, body: body, span: span(from: accessorStart))
                case "set":
                    let binding = Binding(name: parameterName, span: span(from: accessorStart), isMutable: false)
                    let parameter = Parameter(label: nil, name: parameterName, type: type, defaultValue: nil, isInout: false, isVariadic: false, binding: binding)
                    setter = FunctionDecl(name: name, parameters: [parameter], returnType: nil, body: body, span: span(from: accessorStart))
                default:
                    break
                }
            }
            advance()
            return (getter, setter)
        }
        let body = try block()
        return (FunctionDecl(name: name, parameters: [], returnType: type, body: body, span: span(from: start)), nil)
    }

    /// `subscript(i: Int) -> T { get { … } set { … } }`: a getter method "subscript" and a
    /// mutating setter "subscript(set)" taking the indices and then the new value.
    private mutating func subscriptDeclaration(into statements: inout [Stmt]) throws {
        let start = current.start
        advance()
        var parameters = try parameterList()
        // Subscript parameters have no argument labels unless a label is written.
        for i in parameters.indices where parameters[i].label == parameters[i].name { parameters[i].label = nil }
        try expectPunctuation("->", "after the subscript parameters")
        let type = try self.type()
        let (getter, setter) = try accessors(name: "subscript", type: type)
        guard let getter else { throw error("a subscript needs a getter", at: current) }
        getter.parameters = parameters
        statements.append(Stmt(kind: .function(getter), span: span(from: start)))
        if let setter {
            let decl = FunctionDecl(name: "subscript(set)", parameters: parameters + setter.parameters, returnType: nil, body: setter.body, span: setter.span)
            decl.isMutating = true
            statements.append(Stmt(kind: .function(decl), span: span(from: start)))
        }
    }

    private mutating func genericParameters() throws {
        if current.isOperator("<") {
            var depth = 0
            repeat {
                if current.kind == .op { depth += current.text.filter { $0 == "<" }.count - current.text.filter { $0 == ">" }.count }
                advance()
            } while depth > 0 && !atEnd
        }
    }

    private mutating func functionDeclaration(doc: String?) throws -> FunctionDecl {
        let start = current.start
        advance()
        let name: String
        if current.kind == .op { name = advance().text } else { name = try identifier("after 'func'") }
        try genericParameters()
        let parameters = try parameterList()
        let canThrow = try effects()
        var returnType: TypeAnnotation?
        if current.isPunctuation("->") { advance(); returnType = try type() }
        if current.isKeyword("where") { while !current.isPunctuation("{") && !atEnd { advance() } }
        let body = try block()
        let decl = FunctionDecl(name: name, parameters: parameters, returnType: returnType, body: body, span: span(from: start))
        decl.canThrow = canThrow
        decl.doc = doc
        return decl
    }

    private mutating func initializerDeclaration(doc: String?) throws -> FunctionDecl {
        let start = current.start
        advance()
        var failable = false
        if current.kind == .op && (current.text == "?" || current.text == "!") && !current.spaceBefore { failable = current.text == "?"; advance() }
        try genericParameters()
        let parameters = try parameterList()
        let canThrow = try effects()
        let body = try block()
        let decl = FunctionDecl(name: "init", parameters: parameters, returnType: nil, body: body, span: span(from: start))
        decl.isInitializer = true
        decl.isFailable = failable
        decl.canThrow = canThrow
        decl.doc = doc
        return decl
    }

    private mutating func effects() throws -> Bool {
        var canThrow = false
        while current.kind == .keyword && (current.text == "throws" || current.text == "rethrows") || current.isIdentifier("async") {
            if current.kind == .keyword { canThrow = true }
            advance()
            if current.isPunctuation("(") { try skipBalanced() }
        }
        return canThrow
    }

    private mutating func parameterList() throws -> [Parameter] {
        try expectPunctuation("(", "to start the parameter list")
        var parameters: [Parameter] = []
        while !current.isPunctuation(")") {
            let start = current.start
            while current.kind == .attribute { advance() }
            let first = advance()
            guard first.kind == .identifier || first.kind == .keyword else { throw error("expected a parameter name, found \(describe(first))", at: first) }
            let label: String? = first.text == "_" ? nil : first.text
            var name = first.text
            if current.kind == .identifier || current.kind == .keyword { name = advance().text }
            if name == "_" { name = "_\(parameters.count)" }
            var type: TypeAnnotation?
            var isInout = false, isVariadic = false
            if current.isPunctuation(":") {
                advance()
                while current.kind == .attribute { advance() }
                if current.isKeyword("inout") { isInout = true; advance() }
                type = try self.type()
                if current.isOperator("...") { isVariadic = true; advance() }
            }
            var defaultValue: Expr?
            if current.isOperator("=") { advance(); defaultValue = try expression() }
            let binding = Binding(name: name, span: span(from: start), isMutable: false)
            parameters.append(Parameter(label: label, name: name, type: type, defaultValue: defaultValue, isInout: isInout, isVariadic: isVariadic, binding: binding))
            if current.isPunctuation(",") { advance() } else if !current.isPunctuation(")") {
                throw error("expected ',' or ')' in the parameter list, found \(describe(current))", at: current)
            }
        }
        advance()
        return parameters
    }

    private mutating func typeName() throws -> String {
        var name = try identifier("for the type name")
        while current.isPunctuation(".") { advance(); name += "." + (try identifier("in the type name")) }
        if current.isOperator("<") { try genericParameters() }
        return name
    }

    private mutating func conformances() throws -> [String] {
        var names: [String] = []
        repeat {
            if current.isPunctuation(",") { advance() }
            names.append(try type().description)
        } while current.isPunctuation(",")
        return names
    }

    private mutating func memberBlock() throws -> [Stmt] {
        try block().statements
    }

    private mutating func structDeclaration(doc: String?) throws -> Stmt {
        let start = current.start
        let isClass = advance().text == "class"
        let name = try identifier("for the struct name")
        try genericParameters()
        var protocols: [String] = []
        if current.isPunctuation(":") { advance(); protocols = try conformances() }
        if current.isKeyword("where") { while !current.isPunctuation("{") && !atEnd { advance() } }
        let members = try memberBlock()
        let decl = StructDecl(name: name, members: members, conformances: protocols, span: span(from: start))
        decl.doc = doc
        decl.isClass = isClass
        return Stmt(kind: .structure(decl), span: span(from: start))
    }

    private mutating func enumDeclaration(doc: String?) throws -> Stmt {
        let start = current.start
        advance()
        let name = try identifier("for the enum name")
        try genericParameters()
        var protocols: [String] = []
        if current.isPunctuation(":") { advance(); protocols = try conformances() }
        try expectPunctuation("{", "to start the enum body")
        var cases: [EnumCaseDecl] = []
        var members: [Stmt] = []
        while !current.isPunctuation("}") {
            if atEnd { throw error("expected '}' to close the enum", at: current) }
            if current.isPunctuation(";") { advance(); continue }
            if current.isIdentifier("indirect") && peekToken().isKeyword("case") { advance() }
            if current.isKeyword("case") {
                advance()
                repeat {
                    if current.isPunctuation(",") { advance() }
                    let caseName = try identifier("for the enum case")
                    var associated: [(label: String?, type: TypeAnnotation)]?
                    if current.isPunctuation("(") {
                        advance()
                        var items: [(label: String?, type: TypeAnnotation)] = []
                        while !current.isPunctuation(")") {
                            var label: String?
                            if (current.kind == .identifier) && peekToken().isPunctuation(":") { label = advance().text; advance() }
                            items.append((label, try type()))
                            if current.isOperator("=") { advance(); _ = try expression() }
                            if current.isPunctuation(",") { advance() }
                        }
                        advance()
                        associated = items
                    }
                    var raw: Expr?
                    if current.isOperator("=") { advance(); raw = try expression() }
                    cases.append(EnumCaseDecl(name: caseName, rawValue: raw, associated: associated))
                } while current.isPunctuation(",")
                try endOfStatement()
            } else {
                try statement(into: &members)
                try endOfStatement()
            }
        }
        advance()
        let decl = EnumDecl(name: name, cases: cases, members: members, conformances: protocols, span: span(from: start))
        decl.doc = doc
        return Stmt(kind: .enumeration(decl), span: span(from: start))
    }

    private mutating func ifStatement() throws -> Stmt {
        let start = current.start
        advance()
        let conditions = try conditionList()
        let then = try block()
        var elseBranch: Stmt?
        if current.isKeyword("else") {
            advance()
            if current.isKeyword("if") {
                elseBranch = try ifStatement()
            } else {
                let elseStart = current.start
                elseBranch = Stmt(kind: .block(try block()), span: span(from: elseStart))
            }
        }
        return Stmt(kind: .ifStatement(conditions, then, elseBranch), span: span(from: start))
    }

    private mutating func conditionList() throws -> [Condition] {
        try noTrailingClosure { parser in
            var conditions: [Condition] = []
            repeat {
                if parser.current.isPunctuation(",") { parser.advance() }
                conditions.append(try parser.condition())
            } while parser.current.isPunctuation(",")
            return conditions
        }
    }

    private mutating func condition() throws -> Condition {
        if current.isKeyword("let") || current.isKeyword("var") {
            let isMutable = advance().text == "var"
            let nameToken = current
            let name = try identifier("after 'let' in a condition")
            let binding = Binding(name: name, span: SourceSpan(source: source, start: nameToken.start, end: nameToken.end), isMutable: isMutable)
            var annotation: TypeAnnotation?
            if current.isPunctuation(":") { advance(); annotation = try type() }
            if current.isOperator("=") {
                advance()
                return .optionalBinding(binding, try expression(), annotation)
            }
            // `if let x` shorthand.
            let ref = NameRef(name: name, span: binding.span)
            return .optionalBinding(binding, Expr(kind: .name(ref), span: binding.span), annotation)
        }
        if current.isKeyword("case") {
            advance()
            let pattern = try self.pattern(binding: false)
            guard current.isOperator("=") else { throw error("expected '=' after the pattern in 'case'", at: current) }
            advance()
            return .patternMatch(pattern, try expression())
        }
        return .boolean(try expression())
    }

    private mutating func loop(label: String?, start: Int) throws -> Stmt {
        let keyword = advance()
        switch keyword.text {
        case "for":
            if current.isKeyword("case") { advance() }
            let pattern = try self.pattern(binding: true, mutable: false, allowExpressions: false)
            try expectKeyword("in", "in the for-in loop")
            let sequence = try noTrailingClosure { try $0.expression() }
            var whereClause: Expr?
            if current.isKeyword("where") { advance(); whereClause = try noTrailingClosure { try $0.expression() } }
            var body = try block()
            body.iteration = IterationScope()
            return Stmt(kind: .forIn(label: label, pattern, sequence, whereClause: whereClause, body), span: span(from: start))
        case "while":
            let conditions = try conditionList()
            let body = try block()
            return Stmt(kind: .whileLoop(label: label, conditions, body), span: span(from: start))
        default:
            let body = try block()
            try expectKeyword("while", "after the repeat block")
            let condition = try expression()
            return Stmt(kind: .repeatWhile(label: label, body, condition), span: span(from: start))
        }
    }

    private mutating func switchStatement() throws -> Stmt {
        let start = current.start
        advance()
        let subject = try noTrailingClosure { try $0.expression() }
        try expectPunctuation("{", "to start the switch body")
        var cases: [SwitchCase] = []
        while !current.isPunctuation("}") {
            if atEnd { throw error("expected '}' to close the switch", at: current) }
            let caseStart = current.start
            var patterns: [Pattern] = []
            var guardExpr: Expr?
            var isDefault = false
            while current.kind == .attribute { advance() }
            if current.isKeyword("default") {
                advance()
                isDefault = true
            } else if current.isKeyword("case") {
                advance()
                repeat {
                    if current.isPunctuation(",") { advance() }
                    patterns.append(try noTrailingClosure { try $0.pattern(binding: false) })
                } while current.isPunctuation(",")
                if current.isKeyword("where") { advance(); guardExpr = try noTrailingClosure { try $0.expression() } }
            } else {
                throw error("expected 'case' or 'default' in the switch, found \(describe(current))", at: current)
            }
            try expectPunctuation(":", "after the case pattern")
            var body: [Stmt] = []
            while !current.isKeyword("case") && !current.isKeyword("default") && !current.isPunctuation("}") {
                if atEnd { throw error("expected '}' to close the switch", at: current) }
                if current.isPunctuation(";") { advance(); continue }
                try statement(into: &body)
                try endOfStatement()
            }
            if body.isEmpty { throw error("a switch case needs at least one statement (use 'break')", at: current) }
            cases.append(SwitchCase(patterns: patterns, guardExpr: guardExpr, body: Block(statements: body), isDefault: isDefault, span: span(from: caseStart)))
        }
        advance()
        return Stmt(kind: .switchStatement(subject, cases), span: span(from: start))
    }

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

    private func isCaseEnd(_ token: Token) -> Bool {
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
    private mutating func splitClosingAngle() {
        if current.text == ">" { advance(); return }
        tokens[p].text.removeFirst()
        tokens[p].start += 1
    }

    // MARK: - Expressions

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
    private static let precedence: [String: Int] = [
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

    private func isInfix(_ token: Token) -> Bool {
        guard token.kind == .op, Parser.precedence[token.text] != nil else { return false }
        if token.text == "...", isRangeEnd(peekToken()) { return false }
        // Swift: an infix operator has whitespace on both sides or on neither.
        if token.newlineBefore { return token.spaceAfter }
        return token.spaceBefore == token.spaceAfter
    }

    private mutating func binary(_ minimum: Int) throws -> Expr {
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
    private func isRangeEnd(_ token: Token) -> Bool {
        token.isPunctuation("]") || token.isPunctuation(")") || token.isPunctuation(":") || token.isPunctuation(",") || token.kind == .endOfFile
    }

    private mutating func unary() throws -> Expr {
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

    private mutating func postfix() throws -> Expr {
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

    private func isCallable(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .name, .member, .call, .implicitMember, .typeReference: return true
        default: return false
        }
    }

    private mutating func trailingClosures() throws -> [Argument] {
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

    private mutating func argumentList(closer: String) throws -> [Argument] {
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

    private mutating func primary() throws -> Expr {
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

    private mutating func collectionLiteral() throws -> Expr {
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

    private mutating func closure() throws -> Expr {
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

    private mutating func closureSignature() throws -> ([Parameter], TypeAnnotation?, Bool) {
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

    private mutating func stringLiteral(_ token: Token) throws -> Expr {
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
