/// Parsing statements and declarations: `let`/`var`, functions, types, control flow.
extension Parser {
    static let modifiers: Set<String> = [
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

    mutating func skipBalanced() throws {
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

    mutating func noTrailingClosure<T>(_ body: (inout Parser) throws -> T) throws -> T {
        let saved = allowTrailingClosure
        allowTrailingClosure = false
        defer { allowTrailingClosure = saved }
        return try body(&self)
    }

    mutating func withTrailingClosure<T>(_ body: (inout Parser) throws -> T) throws -> T {
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

    mutating func variableDeclarations(isStatic: Bool, doc: String?, into statements: inout [Stmt]) throws {
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
    mutating func accessors(name: String, type: TypeAnnotation?) throws -> (FunctionDecl?, FunctionDecl?) {
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
    mutating func subscriptDeclaration(into statements: inout [Stmt]) throws {
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

    mutating func genericParameters() throws {
        if current.isOperator("<") {
            var depth = 0
            repeat {
                if current.kind == .op { depth += current.text.filter { $0 == "<" }.count - current.text.filter { $0 == ">" }.count }
                advance()
            } while depth > 0 && !atEnd
        }
    }

    mutating func functionDeclaration(doc: String?) throws -> FunctionDecl {
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

    mutating func initializerDeclaration(doc: String?) throws -> FunctionDecl {
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

    mutating func effects() throws -> Bool {
        var canThrow = false
        while current.kind == .keyword && (current.text == "throws" || current.text == "rethrows") || current.isIdentifier("async") {
            if current.kind == .keyword { canThrow = true }
            advance()
            if current.isPunctuation("(") { try skipBalanced() }
        }
        return canThrow
    }

    mutating func parameterList() throws -> [Parameter] {
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

    mutating func typeName() throws -> String {
        var name = try identifier("for the type name")
        while current.isPunctuation(".") { advance(); name += "." + (try identifier("in the type name")) }
        if current.isOperator("<") { try genericParameters() }
        return name
    }

    mutating func conformances() throws -> [String] {
        var names: [String] = []
        repeat {
            if current.isPunctuation(",") { advance() }
            names.append(try type().description)
        } while current.isPunctuation(",")
        return names
    }

    mutating func memberBlock() throws -> [Stmt] {
        try block().statements
    }

    mutating func structDeclaration(doc: String?) throws -> Stmt {
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

    mutating func enumDeclaration(doc: String?) throws -> Stmt {
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

    mutating func ifStatement() throws -> Stmt {
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

    mutating func conditionList() throws -> [Condition] {
        try noTrailingClosure { parser in
            var conditions: [Condition] = []
            repeat {
                if parser.current.isPunctuation(",") { parser.advance() }
                conditions.append(try parser.condition())
            } while parser.current.isPunctuation(",")
            return conditions
        }
    }

    mutating func condition() throws -> Condition {
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

    mutating func loop(label: String?, start: Int) throws -> Stmt {
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

    mutating func switchStatement() throws -> Stmt {
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
}
